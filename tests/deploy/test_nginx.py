"""The generated nginx configuration: real nginx accepts it, and it routes by cookie, not address."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from deploy.nginx import ERROR_LOG, ROUTE_COOKIE, Proxy, nginx_config, upload_limit_mb

from .conftest import require_nginx

ROOT = Path(__file__).resolve().parents[2]


def _proxy(address: str = "0.0.0.0", ports: tuple[int, ...] = (9001, 9002, 9003)) -> Proxy:
    return Proxy(address=address, port=8501, upstream_ports=ports, upload_limit_mb=2)


@pytest.mark.parametrize("address", ["0.0.0.0", "127.0.0.1", "::1"])
def test_nginx_accepts_the_configuration(tmp_path: Path, address: str) -> None:
    require_nginx()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_config(_proxy(address)), encoding="utf-8")
    (tmp_path / "temp").mkdir()
    command = [nginx, "-t", "-p", f"{tmp_path}/", "-c", str(config), "-e", str(tmp_path / ERROR_LOG)]
    checked = subprocess.run(command, capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


def test_every_process_is_an_upstream_chosen_by_the_route_cookie() -> None:
    config = nginx_config(_proxy())
    assert [line.strip() for line in config.splitlines() if line.strip().startswith("server 127")] == [
        "server 127.0.0.1:9001;",
        "server 127.0.0.1:9002;",
        "server 127.0.0.1:9003;",
    ]
    assert "hash $route consistent;" in config
    assert f"map $cookie_{ROUTE_COOKIE} $route" in config
    # Phones behind one NAT share an address: it must never decide the process.
    assert "ip_hash" not in config and "$remote_addr" not in config


def test_the_websocket_is_upgraded_and_kept_open() -> None:
    config = nginx_config(_proxy())
    stream = config[config.index("location = /_stcore/stream") :]
    assert "proxy_read_timeout 1d;" in stream
    assert "proxy_set_header Upgrade $http_upgrade;" in config
    assert "proxy_set_header Connection $connection_upgrade;" in config
    assert "proxy_set_header Host $http_host;" in config  # Streamlit checks the websocket's origin against it


def test_an_ipv6_address_is_bracketed() -> None:
    assert "listen [::]:8501;" in nginx_config(_proxy("::"))


def test_nginx_takes_an_upload_as_large_as_streamlit_does(tmp_path: Path) -> None:
    assert upload_limit_mb(ROOT / ".streamlit" / "config.toml") == 2  # the shipped setting
    assert "client_max_body_size 3m;" in nginx_config(_proxy())  # the file and its multipart envelope
    assert upload_limit_mb(tmp_path / "missing.toml") == 200  # Streamlit's default
    other = tmp_path / "config.toml"
    other.write_text("[server]\nmaxUploadSize = 50\n", encoding="utf-8")
    assert upload_limit_mb(other) == 50


def test_no_process_is_no_configuration() -> None:
    with pytest.raises(ValueError, match="at least one"):
        nginx_config(_proxy(ports=()))


def test_nginx_needs_no_writable_folder_for_bodies() -> None:
    """Started by root, nginx runs its workers as nobody, who may not reach the run folder."""
    config = nginx_config(_proxy())
    assert "proxy_request_buffering off;" in config
    assert "proxy_max_temp_file_size 0;" in config
