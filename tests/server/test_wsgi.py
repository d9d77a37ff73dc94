"""The production WSGI application never runs with the Werkzeug debugger."""
from __future__ import annotations

import subprocess
import sys


def test_wsgi_application_refuses_debug_mode(stack):
    ini = stack.state.root / "debug.ini"
    ini.write_text(stack.state.ini.read_text().replace("debug = false", "debug = true", 1))
    result = subprocess.run([sys.executable, "-c", "import ckanext.hamm.server.wsgi"],
                            env=stack.env(CKAN_INI=str(ini)), capture_output=True, text=True, timeout=120,
                            check=False)
    assert result.returncode != 0
    assert "DebugModeRefused" in result.stderr and "make dev" in result.stderr
