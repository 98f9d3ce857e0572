"""The calculation engine: derived indicators over (entity × period) arrays, with lineage."""
