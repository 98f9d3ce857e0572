"""The demo group: data modeled on the reference customer's 2024 ESG report, and its generator."""
