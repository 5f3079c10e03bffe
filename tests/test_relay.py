"""socket.io replies cross worker processes only if each worker has its own host id."""

import multiprocessing

from channels.relay import WorkerRelay


def _host_id_in_a_child(relay: WorkerRelay, ids) -> None:
    ids.put(relay.host_id)


def test_each_worker_forked_from_the_server_has_a_host_id_of_its_own():
    relay = WorkerRelay()  # made before the fork, as the server makes it
    ids = multiprocessing.get_context("fork").Queue()
    child = multiprocessing.get_context("fork").Process(
        target=_host_id_in_a_child, args=(relay, ids)
    )
    child.start()
    child.join(timeout=10)
    assert ids.get(timeout=5) != relay.host_id
