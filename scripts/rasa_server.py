"""``rasa run``, with its worker processes sharing what they import instead of copying it.

``python -m scripts.rasa_server run [rasa run's options]`` is how ``make run``, the cluster
profile and the live tests start the Rasa server. With ``SANIC_WORKERS`` above 1, Sanic forks
the workers from the process that read the command line, and each worker then imports and
loads everything itself. Two things make the workers share those pages with their parent:

- what they would import is imported here, before the fork: Rasa's server, the classes of
  the model's graph (read from the model's metadata), and the channels and stores that the
  credentials and endpoints files name by module path;
- Python's objects are then frozen (``gc.freeze``). A collection in a worker writes to the
  header of every object it traverses, and so copies every page of the parent's objects
  into the worker; frozen objects are never traversed.

It also marks JAX as absent: TensorFlow's model converter imports it whenever it is
installed (Rasa brings it along), and nothing here uses it (about 60 MB).

Measured with ``make bench`` (2 workers): the Rasa server's memory (PSS, all processes) went
from 1.01× to 0.66× that of the stock ``rasa init`` bot (each worker's own memory: from
217 to 78 MB).

The preloading is an optimisation only: whatever it cannot read (a missing model, a file
with an error) is left for ``rasa run`` itself to report.
"""

from __future__ import annotations

import sys

# Before anything imports TensorFlow: an import of JAX now fails, which TensorFlow takes as
# "not installed".
sys.modules.setdefault("jax", None)  # type: ignore[arg-type]

import argparse  # noqa: E402
import gc  # noqa: E402
import importlib  # noqa: E402
import logging  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

logger = logging.getLogger(__name__)


def module_paths(settings: Any) -> set[str]:
    """The modules that a credentials or endpoints file names by dotted class path: a
    channel's key (``channels.rest.RestInput:``), an endpoint's ``type``
    (``type: stores.trackers.AdvisorTrackerStore``). Rasa's own short names ("rest",
    "sql") have no dot and are imported with Rasa."""
    if not isinstance(settings, dict):
        return set()
    names = list(settings)
    names += [value.get("type") for value in settings.values() if isinstance(value, dict)]
    return {name.rsplit(".", 1)[0] for name in names if isinstance(name, str) and "." in name}


def _run_options(argv: list[str]) -> argparse.Namespace:
    """The options of ``rasa run`` that name what the server will load (Rasa's defaults)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("-m", "--model", default="models")
    parser.add_argument("--credentials", default="credentials.yml")
    parser.add_argument("--endpoints", default="endpoints.yml")
    return parser.parse_known_args(argv)[0]


def preload(argv: list[str]) -> list[str]:
    """Import what the workers of ``rasa run`` with ``argv`` will import; returns the
    modules imported by name (the tests read them)."""
    import rasa.__main__  # noqa: F401  (the command line, and with it the server)
    import rasa.core.run  # noqa: F401

    if argv[:1] != ["run"] or argv[1:2] == ["actions"]:
        return []
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.model import get_local_model
    from rasa.shared.utils.io import read_yaml_file

    options = _run_options(argv[1:])
    modules: set[str] = set()
    try:
        # Reading the metadata imports the class of every node of the model's graph.
        metadata = LocalModelStorage.metadata_from_archive(get_local_model(options.model))
        for schema in (metadata.train_schema, metadata.predict_schema):
            modules |= {node.uses.__module__ for node in schema.nodes.values()}
    except Exception as error:  # noqa: BLE001 - rasa run reports a bad model itself
        logger.debug("Model not preloaded: %s", type(error).__name__)
    for settings_file in (options.credentials, options.endpoints):
        try:
            if Path(settings_file).is_file():
                modules |= module_paths(read_yaml_file(settings_file))
        except Exception as error:  # noqa: BLE001 - as above, for a broken YAML file
            logger.debug("%s not preloaded: %s", settings_file, type(error).__name__)
    imported = []
    for module in sorted(modules):
        try:
            importlib.import_module(module)
            imported.append(module)
        except Exception as error:  # noqa: BLE001 - rasa run reports the missing class
            logger.debug("%s not preloaded: %s", module, type(error).__name__)
    return imported


def main() -> None:
    preload(sys.argv[1:])
    # What is garbage now is collected once; what remains is left alone by every later
    # collection, here and in the workers forked from here.
    gc.collect()
    gc.freeze()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
