"""The nginx configuration that puts several Streamlit processes behind one address.

Sticky sessions by cookie, not by address: the phones of a workshop often share one public
address (the venue's Wi-Fi behind NAT), which ``ip_hash`` or ``hash $remote_addr`` would send to
a single process. On a browser's first request nginx draws a random route (``$request_id``), uses
it to pick the process and hands it back as the cookie ``outside_in_route``; every later request
of that browser carries the cookie and hashes to the same process: the page, its websocket at
``/_stcore/stream``, its uploads at ``/_stcore/upload_file`` and its ``/media``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

ROUTE_COOKIE = "outside_in_route"
ACCESS_LOG = "access.log"
ERROR_LOG = "nginx-error.log"
PID_FILE = "nginx.pid"

# Streamlit's own default for server.maxUploadSize, in megabytes.
_STREAMLIT_UPLOAD_LIMIT_MB = 200
# A websocket stays open as long as the page does: a facilitator's dashboard for a whole day.
_STREAM_TIMEOUT = "1d"


@dataclass(frozen=True)
class Proxy:
    """Where nginx listens, the Streamlit processes it serves (ports on 127.0.0.1) and the largest
    upload Streamlit takes. Every path in the configuration is relative to nginx's prefix (``-p``)."""

    address: str
    port: int
    upstream_ports: tuple[int, ...]
    upload_limit_mb: int


def upload_limit_mb(streamlit_config: Path) -> int:
    """``server.maxUploadSize`` from Streamlit's ``config.toml`` (Streamlit's default without it)."""
    if not streamlit_config.is_file():
        return _STREAMLIT_UPLOAD_LIMIT_MB
    settings = tomllib.loads(streamlit_config.read_text(encoding="utf-8"))
    return int(settings.get("server", {}).get("maxUploadSize", _STREAMLIT_UPLOAD_LIMIT_MB))


def nginx_config(proxy: Proxy) -> str:
    """The whole ``nginx.conf`` for ``nginx -p <run_dir> -c <run_dir>/nginx.conf``."""
    if not proxy.upstream_ports:
        raise ValueError("nginx needs at least one Streamlit process to send requests to")
    servers = "\n".join(f"        server 127.0.0.1:{port};" for port in proxy.upstream_ports)
    listen = f"[{proxy.address}]:{proxy.port}" if ":" in proxy.address else f"{proxy.address}:{proxy.port}"
    # A multipart body is a little larger than the file it carries; Streamlit enforces the exact limit.
    body_limit_mb = proxy.upload_limit_mb + 1
    return f"""# Written by `python -m deploy` on every start; edits here are lost.
worker_processes 1;
# Each phone holds two connections through nginx (its own and nginx's to Streamlit).
worker_rlimit_nofile 8192;
pid {PID_FILE};
error_log {ERROR_LOG} warn;

events {{
    worker_connections 4096;
}}

http {{
    # Bodies never go to disk: nginx started by root runs its workers as "nobody", who may not reach
    # the run folder. Uploads stream to Streamlit, which enforces its own limit; a response larger
    # than nginx's buffers (Streamlit's chart code is megabytes) is passed on as the client reads it.
    proxy_request_buffering off;
    proxy_max_temp_file_size 0;
    # nginx still creates its temp folders at start: inside the run folder, not Debian's root-only
    # ones under /var/lib/nginx.
    client_body_temp_path temp/body;
    proxy_temp_path temp/proxy;
    fastcgi_temp_path temp/fastcgi;
    uwsgi_temp_path temp/uwsgi;
    scgi_temp_path temp/scgi;

    # Which process served what, by route: no query string, which can hold a private token.
    log_format routes '$time_iso8601 $route $upstream_addr $status $request_method $uri';
    access_log {ACCESS_LOG} routes;

    # The browser's route, or a new random one on its first request.
    map $cookie_{ROUTE_COOKIE} $route {{
        ""      $request_id;
        default $cookie_{ROUTE_COOKIE};
    }}
    # The cookie that hands a new route to the browser; empty (no header) once it has one.
    map $cookie_{ROUTE_COOKIE} $new_route_cookie {{
        ""      "{ROUTE_COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ""      close;
    }}

    upstream streamlit {{
        # consistent: a process that stops moves only its own browsers to the others.
        hash $route consistent;
{servers}
    }}

    server {{
        listen {listen};
        client_max_body_size {body_limit_mb}m;
        add_header Set-Cookie $new_route_cookie always;

        proxy_http_version 1.1;
        # Streamlit compares the websocket's Origin with Host: it must see the address people use.
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        # Set here for every location, because a location with a proxy_set_header of its own
        # inherits none from here. "close" for plain requests: nginx keeps no idle upstream ones.
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;

        location / {{
            proxy_pass http://streamlit;
        }}

        location = /_stcore/stream {{
            proxy_pass http://streamlit;
            proxy_read_timeout {_STREAM_TIMEOUT};
            proxy_send_timeout {_STREAM_TIMEOUT};
            proxy_buffering off;
        }}
    }}
}}
"""
