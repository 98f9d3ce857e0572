"""Energy and emissions monitoring: meters, interval readings (MQTT, file, API), rollups to
draft observations, early-warning rules and alerts.
"""
