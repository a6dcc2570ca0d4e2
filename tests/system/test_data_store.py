## \file test_data_store.py
## \brief The data store: typed values, owners' permissions, subscriptions, drv.<label> events, garbage requests.
from harness import boot

CHECKS = [
    "publish a u64", "retrieve it", "another client reads it too", "another client may not overwrite it",
    "nor delete it", "the owner may overwrite it", "publish a string", "retrieve the string",
    "publish a 300-byte blob", "retrieve it byte for byte", "a u64 read of a string is WrongType",
    "a missing key is NotFound", "an empty key is InvalidArgument", "subscribe to a prefix",
    "changes are signalled and listed", "a deleted key is gone", "RS published drv.hello = up",
    "a short publish is refused", "an unknown request is refused", "the store still works",
]


def test_data_store_semantics():
    b = boot("data_store", init_args="start=rs run=rsctl:wait:hello run=dstest poweroff")
    b.expect_poweroff()
    b.expect_lines_in_order([f"dstest: {what}: ok" for what in CHECKS])
    b.expect_line(f"dstest: {len(CHECKS)} passed, 0 failed")
