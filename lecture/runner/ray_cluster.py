"""Connecting to Ray, and checking before anything is written that the cluster can run our tasks.

A cluster can refuse a driver in ways Ray reports late or not at all (Ray 2.60, measured here):

* **started without token authentication, driver with ``RAY_AUTH_MODE=token``**: ``ray.init``
  succeeds, then the first actor dies ("The actor never ran") and results from other nodes are
  lost: the cluster cannot call the driver back;
* **token cluster, driver without the right token**: ``ray.init`` retries for 20 s, then says only
  "Failed to connect";
* **another Ray or Python version**: ``RuntimeError: Version mismatch``;
* **no free CPU** (every node started with ``--num-cpus 0``, or busy with another job): tasks wait
  forever, silently.

``diagnose`` asks the cluster's GCS directly (Ray's own client, about 20 ms) and names the cause
and the fix; a small actor then confirms that the cluster can call the driver back. Both run
before the narration or any render, so a refused run leaves nothing in ``out/``. The GCS client
and auth calls are Ray's private API, tied to the pinned ray==2.60.0.
"""
from __future__ import annotations

import json
import os
import socket
from pathlib import Path

from lecture.runner.jobs import EngineError

RAY_PIN = "ray==2.60.0"  # the farm group of pyproject.toml
INSTALL = (f"the ray engine needs the 'farm' group: ./render.sh --engine ray installs it "
           f"(or: .venv/bin/pip install -c requirements.lock {RAY_PIN})")
QUIET = {"RAY_USAGE_STATS_ENABLED": "0", "RAY_DISABLE_IMPORT_WARNING": "1"}
CANARY_SECONDS = 60


def _without_token_answers(address: str) -> bool:
    """Does the cluster answer a client that sends no token? (It then checks none.)"""
    from ray._raylet import Config, GcsClient
    from ray.exceptions import AuthenticationError

    saved = os.environ.get("RAY_AUTH_MODE")
    os.environ["RAY_AUTH_MODE"] = "disabled"
    Config.initialize("")
    try:
        GcsClient(address=address)
        return True
    except AuthenticationError:
        return False
    finally:
        if saved is None:
            os.environ.pop("RAY_AUTH_MODE", None)
        else:
            os.environ["RAY_AUTH_MODE"] = saved
        Config.initialize("")


def diagnose(address: str, timeout: float = 5.0) -> str | None:
    """Why the cluster at HOST:PORT cannot run this driver's tasks, with the fix; None if it can.
    Call before ``ray.init``, in the environment ``ray.init`` will see."""
    host, port = address.rsplit(":", 1)
    try:
        socket.create_connection((host, int(port)), timeout=timeout).close()
    except (OSError, ValueError) as exc:
        return (f"nothing answers at {address} ({exc}). Fix: start the head with 'ray start --head --port PORT' "
                f"(README, \"Scaling out\"), or leave --address out for a local Ray instance")
    from ray._private.state import GlobalState
    from ray._private.utils import check_version_info
    from ray._raylet import (
        AuthenticationMode,
        AuthenticationTokenLoader,
        GcsClient,
        GcsClientOptions,
        get_authentication_mode,
    )
    from ray.exceptions import AuthenticationError

    token_mode = get_authentication_mode() == AuthenticationMode.TOKEN
    if token_mode and not AuthenticationTokenLoader.instance().has_token(ignore_auth_mode=True):
        return ("this machine has no Ray token (RAY_AUTH_MODE=token). Fix: copy the head's ~/.ray/auth_token here, "
                "or set RAY_AUTH_TOKEN or RAY_AUTH_TOKEN_PATH")
    try:
        gcs = GcsClient(address=address)
    except AuthenticationError:
        if token_mode:
            return ("the cluster rejects this machine's token. Fix: copy the head's ~/.ray/auth_token to this "
                    "machine (or set RAY_AUTH_TOKEN / RAY_AUTH_TOKEN_PATH to it)")
        return (f"the cluster uses token authentication but this driver has RAY_AUTH_MODE="
                f"{os.environ.get('RAY_AUTH_MODE', '(unset)')}. Fix: run with RAY_AUTH_MODE=token and the head's token")
    except Exception as exc:  # noqa: BLE001  not a Ray GCS, or one that does not answer
        return f"no Ray cluster answers at {address} ({type(exc).__name__}: {exc}). Fix: check the address"
    if token_mode and _without_token_answers(address):
        return ("the cluster was started without token authentication, and this driver uses tokens "
                "(RAY_AUTH_MODE=token): the cluster could not call the driver back (its actors would die and "
                "the videos of other nodes would be lost). Fix: restart the head and every worker with "
                "RAY_AUTH_MODE=token and the same ~/.ray/auth_token (README, \"Scaling out\"), or run "
                "./render.sh with RAY_AUTH_MODE=disabled to match the cluster")
    meta = gcs.internal_kv_get(b"CLUSTER_METADATA", namespace=b"cluster", timeout=timeout)
    if meta:
        try:
            check_version_info(json.loads(meta), "the driver")
        except RuntimeError as exc:
            return (" ".join(str(exc).split()) + f" Fix: install the same .venv on every node and here "
                    f"({RAY_PIN} and Python from requirements.lock and the same interpreter)")
    state = GlobalState()
    state._initialize_global_state(GcsClientOptions.create(address, None, allow_cluster_id_nil=True,
                                                           fetch_cluster_id_if_nil=False))
    total, free = state.cluster_resources().get("CPU", 0), state.available_resources().get("CPU", 0)
    if not total:
        return ("no node of the cluster has a CPU (started with --num-cpus 0?): a render would wait forever. "
                "Fix: start the workers with --num-cpus N (N renders at once a node)")
    if not free:
        return (f"all {total:g} CPUs of the cluster are taken (by another job?): the renders would wait. Fix: "
                "wait for that job to end, or add a worker node")
    return None


class Canary:
    def ping(self):
        return "pong"


def prepare(address: str | None):
    """``ray``, imported in the environment this run uses, after checking that the cluster at
    ``address`` can run our tasks (EngineError naming the cause and the fix otherwise; nothing has
    been written then). A local instance (no address) is started later, by ``connect``."""
    loopback = not address or address.rsplit(":", 1)[0] in ("127.0.0.1", "localhost")
    os.environ.update(QUIET)
    os.environ.setdefault("RAY_AUTH_MODE", "token")  # Ray's default, stated: no warning about it
    if loopback:  # every Ray address on 127.0.0.1, not the machine's routable address
        os.environ["RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"] = "0"
    try:
        import ray
    except ImportError as exc:
        raise EngineError(INSTALL) from exc
    if address and "://" not in address and ":" in address:
        cause = diagnose(address)
        if cause:
            raise EngineError(f"the Ray cluster at {address} cannot run this run's renders: {cause}. "
                              "Nothing was rendered or written")
    return ray


def connect(ray, address: str | None, parallel: int, working_dir: Path):
    """``ray.init`` with the staged ``working_dir`` (Ray uploads it once per content), then an
    actor that must answer: the cluster can call the driver back."""
    where = f"the Ray cluster at {address}" if address else "a local Ray instance"
    common = dict(include_dashboard=False, log_to_driver=False, logging_level="warning",
                  runtime_env={"working_dir": str(working_dir), "env_vars": dict(QUIET)})
    try:
        if address:  # an existing cluster (README, "Scaling out")
            ray.init(address=address, **common)
        else:
            ray.init(address="local", num_cpus=parallel, **common)  # new, even if RAY_ADDRESS is set
    except (ConnectionError, RuntimeError, ValueError, ray.exceptions.RayError) as exc:
        ray.shutdown()
        cause = exc.__cause__ or exc
        raise EngineError(f"could not connect to {where} ({' '.join(str(cause).split())[:400]}); nothing was rendered. "
                          "Fix: start the head with 'ray start --head --port PORT' (README, \"Scaling out\"), or "
                          "leave --address out") from exc
    try:  # also waits for the working_dir to reach a worker
        canary = ray.remote(num_cpus=0)(Canary).remote()
        ray.get(canary.ping.remote(), timeout=CANARY_SECONDS)
        ray.kill(canary)
    except (ray.exceptions.RayError, TimeoutError) as exc:
        ray.shutdown()
        first = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
        raise EngineError(f"{where} accepted the connection but could not run a task ({type(exc).__name__}: {first}). "
                          "Nothing was rendered. Fix: check that the cluster uses this driver's auth mode and Ray "
                          "version, and that its nodes reach this machine") from exc
