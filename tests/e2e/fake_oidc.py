"""A tiny OpenID Connect provider for the browser tests: discovery, an authorize endpoint that
signs in at once (no login page), a token endpoint that returns an RS256-signed ID token for
``email``, and its key set. It runs in a thread on 127.0.0.1, so a test goes through the real
``st.login`` round trip (Streamlit, Authlib, the callback, ``st.user``) without the network.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey


class FakeProvider:
    """The provider; ``email`` is whom it vouches for next (``verified``: email_verified)."""

    def __init__(self, email: str = "olga@example.org") -> None:
        self.email = email
        self.verified = True
        self.key = RSAKey.generate_key(2048, parameters={"kid": "k1", "alg": "RS256"})
        self._codes: dict[str, tuple[str | None, str]] = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> FakeProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def _metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }

    def _id_token(self, code: str) -> str:
        nonce, client_id = self._codes.pop(code)
        now = int(time.time())
        claims = {
            "iss": self.url, "sub": self.email, "aud": client_id, "iat": now, "exp": now + 300,
            "nonce": nonce, "email": self.email, "email_verified": self.verified,
        }  # fmt: skip
        return jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.key)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _json(self, data: dict[str, Any]) -> None:
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/.well-known/openid-configuration":
                    self._json(provider._metadata())
                elif url.path == "/jwks":
                    self._json({"keys": [provider.key.as_dict(private=False)]})
                elif url.path == "/authorize":  # signed in at once: back to the app
                    code = f"code{len(provider._codes)}{time.monotonic_ns()}"
                    provider._codes[code] = (query.get("nonce"), query["client_id"])
                    back = {"code": code, "state": query["state"]}
                    self.send_response(302)
                    self.send_header(
                        "Location", f"{query['redirect_uri']}?{urllib.parse.urlencode(back)}"
                    )
                    self.end_headers()
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                token = provider._id_token(form["code"])
                self._json({"access_token": "x", "token_type": "Bearer", "expires_in": 300,
                            "id_token": token})  # fmt: skip

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

        return Handler
