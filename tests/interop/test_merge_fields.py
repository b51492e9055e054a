"""Every field of a server record has a merge rule: a new field can't be dropped silently."""

from planner.interop.merge_records import SERVER_LISTS, SERVER_NESTED, SERVER_SCALARS
from planner.models import Server

# merged by their own code in planner/interop/merge_records.py (or the record's identity)
SPECIAL = {"id", "tags", "volumes", "provenance"}


def test_every_server_field_is_merged():
    handled = set(SERVER_SCALARS) | set(SERVER_NESTED) | set(SERVER_LISTS) | SPECIAL
    assert set(Server.model_fields) - handled == set()
    assert "mail_relays" in SERVER_LISTS
