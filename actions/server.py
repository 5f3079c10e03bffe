"""The action server: rasa_sdk's, reachable only where it should be, and quiet about what
students wrote.

``python -m actions.server [--host H] [--port P] [--actions actions]`` replaces
``rasa run actions`` and differs from it in three ways:

- it listens on 127.0.0.1 unless told otherwise (``--host`` or ``ACTIONS_HOST``).
  rasa_sdk listens on every interface, with no authentication: anyone on the network could
  list the actions (``GET /actions``) and run them with a tracker of their making. Only
  the Rasa server needs it; when that runs on another machine, bind the address it uses
  and firewall the port;
- an action that raises answers nothing instead of failing the request: rasa_sdk's reply
  to a failing action is a 500 whose body quotes the whole request — the conversation —
  and Rasa logs that body at ERROR. Here the failure is logged by type and place only, and
  the student gets the channel's apology (the bot sent nothing);
- exceptions in its log keep their type and place, not their messages
  (``advisor.privacy``);
- it loads no machine-learning framework: spaCy's thinc imports TensorFlow and JAX whenever
  they are installed (Rasa brings them), though the actions only use spaCy's phrase
  matcher. Marked as absent before anything imports spaCy, they cost nothing here (about
  200 MB of memory and 3 s of start-up less).
"""

from __future__ import annotations

import sys

# Before any import that may reach spaCy (see above): an import of these now fails, which
# thinc takes as "not installed".
for _framework in ("tensorflow", "jax"):
    sys.modules.setdefault(_framework, None)  # type: ignore[arg-type]

import argparse  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402
from typing import Any  # noqa: E402

from rasa_sdk import endpoint, utils  # noqa: E402
from rasa_sdk.constants import APPLICATION_ROOT_LOGGER_NAME  # noqa: E402
from rasa_sdk.executor import ActionExecutor  # noqa: E402
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException  # noqa: E402

from advisor.privacy import describe, scrub_exception_logs  # noqa: E402

logger = logging.getLogger(__name__)
DEFAULT_HOST = "127.0.0.1"


class GuardedExecutor(ActionExecutor):
    """rasa_sdk's executor; an action's own failure becomes an empty answer."""

    async def run(self, action_call: Any) -> dict | None:
        try:
            return await super().run(action_call)
        except (ActionExecutionRejection, ActionNotFoundException):
            raise  # rasa_sdk answers these itself, without the conversation
        except Exception as error:
            name = action_call.get("next_action") if isinstance(action_call, dict) else None
            logger.error("Action %s failed: %s", name, describe(error))
            return {"events": [], "responses": []}


def argument_parser() -> argparse.ArgumentParser:
    parser = endpoint.create_argument_parser()
    parser.add_argument(
        "--host",
        default=os.environ.get("ACTIONS_HOST") or DEFAULT_HOST,
        help="interface to listen on (default 127.0.0.1, or ACTIONS_HOST)",
    )
    return parser


def main(argv: list[str] | None = None) -> None:
    args = argument_parser().parse_args(argv)
    utils.configure_colored_logging(args.loglevel)
    utils.configure_file_logging(
        logging.getLogger(APPLICATION_ROOT_LOGGER_NAME),
        args.log_file,
        args.loglevel,
        args.logging_config_file,
    )
    utils.update_sanic_log_level()
    scrub_exception_logs(APPLICATION_ROOT_LOGGER_NAME, "sanic.root", "sanic.error")
    endpoint.ActionExecutor = GuardedExecutor  # create_app builds its executor by this name
    os.environ["SANIC_HOST"] = args.host  # rasa_sdk's run() binds to SANIC_HOST
    endpoint.run(
        args.actions or "actions",
        args.port,
        args.cors,
        args.ssl_certificate,
        args.ssl_keyfile,
        args.ssl_password,
        args.auto_reload,
    )


if __name__ == "__main__":
    main(sys.argv[1:])
