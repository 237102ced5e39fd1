"""The web interface: Jinja2 templates and the static CSS, JS and interface strings the app
serves (see service/routes/pages.py)."""
