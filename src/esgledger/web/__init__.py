"""The server-rendered web UI and the application factory that serves it with the API."""

from pathlib import Path

STATIC_DIR = Path(__file__).with_name("static")
TEMPLATE_DIR = Path(__file__).with_name("templates")
