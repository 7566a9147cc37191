"""Answers for generate.mjs from pycognito, an independent Python implementation.

Reads {"secretHash": [{username, clientId, clientSecret}], "srp": [case]} as JSON
on stdin and writes {"version", "secretHash": [str], "srp": [{srpA, timestamp,
signature} | {error}]} to stdout. The SRP answers come from
AWSSRP.process_challenge with the client's secret `a` and the clock fixed.
"""

import datetime
import importlib.metadata
import json
import sys
import types

from pycognito import aws_srp
from pycognito.aws_srp import AWSSRP


def fixed_clock(unix_seconds):
    """A stand-in for the datetime module whose utcnow() is fixed."""
    moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(seconds=unix_seconds)

    class FixedDateTime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return moment

    return types.SimpleNamespace(datetime=FixedDateTime)


def srp_answer(case):
    srp = AWSSRP(
        username=case["username"],
        password=case["password"],
        pool_id=case["userPoolId"],
        client_id="vectorsclient0000000000000",
        client=object(),  # never called: no network
    )
    srp.small_a_value = int(case["a"], 16)
    srp.large_a_value = srp.calculate_a()
    aws_srp.datetime = fixed_clock(case["unixSeconds"])
    try:
        response = srp.process_challenge(
            {
                "USER_ID_FOR_SRP": case["userIdForSrp"],
                "SALT": case["salt"],
                "SRP_B": case["srpB"],
                "SECRET_BLOCK": case["secretBlock"],
            },
            {"USERNAME": case["username"]},
        )
    finally:
        aws_srp.datetime = datetime
    return {
        "srpA": srp.get_auth_params()["SRP_A"],
        "timestamp": response["TIMESTAMP"],
        "signature": response["PASSWORD_CLAIM_SIGNATURE"],
    }


def main():
    request = json.load(sys.stdin)
    out = {
        "version": importlib.metadata.version("pycognito"),
        "secretHash": [
            AWSSRP.get_secret_hash(s["username"], s["clientId"], s["clientSecret"])
            for s in request["secretHash"]
        ],
        "srp": [],
    }
    for case in request["srp"]:
        try:
            out["srp"].append(srp_answer(case))
        except Exception as e:  # recorded as a disagreement, not fatal
            out["srp"].append({"error": f"{type(e).__name__}: {e}"})
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
