"""The Python secure-token path, timed in a loop: PBKDF2-derived Fernet, json.dumps, double base64.

Mirrors secure-token 1.0.x's generate_token / validate_token with the `cryptography` package
(the minimum of each: no logging, no result dict), so the comparison errs in Python's favour.
Usage: python3 python-bench.py SECRET SALT TOKEN. Prints {"tokenLength"} once, then answers each
stdin line "generate|validate SECONDS" with the ops/s of one timed slice, so the Node harness can
interleave these samples with its own.
"""
import base64
import json
import secrets
import sys
import time
from datetime import datetime, timedelta

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

secret, salt, node_token = sys.argv[1], sys.argv[2], sys.argv[3]
kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt.encode(), iterations=100_000)
fernet = Fernet(base64.urlsafe_b64encode(kdf.derive(secret.encode())))


def generate():
    now = datetime.now()
    data = {
        "token_id": secrets.token_urlsafe(24),
        "user_id": "user_123",
        "permissions": ["read", "write"],
        "issued_at": now.isoformat(),
        "expires_at": (now + timedelta(hours=24)).isoformat(),
        "additional_data": {},
        "version": "1.0",
    }
    encrypted = fernet.encrypt(json.dumps(data, separators=(",", ":")).encode())
    return base64.urlsafe_b64encode(encrypted).decode()


def validate(token):
    decrypted = fernet.decrypt(base64.urlsafe_b64decode(token.encode()))
    data = json.loads(decrypted.decode())
    expires_at = datetime.fromisoformat(data["expires_at"])
    if datetime.now() > expires_at:
        raise ValueError("expired")
    return data


def measure(operation, slice_seconds):
    count = 0
    start = time.perf_counter()
    deadline = start + slice_seconds
    while True:
        for _ in range(50):
            operation()
        count += 50
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


# Node's token, read by Python: the same wire format both ways.
validate(node_token)
operations = {"generate": generate, "validate": lambda: validate(node_token)}
print(json.dumps({"tokenLength": len(generate())}), flush=True)
for line in sys.stdin:
    name, seconds = line.split()
    print(measure(operations[name], float(seconds)), flush=True)
