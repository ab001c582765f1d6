"""Helpers of the XBlock tests (imported after conftest.py has set up Django)."""

from __future__ import annotations

import json
from importlib.metadata import entry_points

import webob
import xblock.plugin
from workbench.runtime import WorkbenchRuntime
from xblock.reference.user_service import UserService, XBlockUser

from lotse_lms.xblocks import LotseModuleBlock, LotseReflectionBlock

BLOCKS = {"lotse_module": LotseModuleBlock, "lotse_reflection": LotseReflectionBlock}


def registered_entry_points() -> dict[str, str]:
    """The lotse blocks found in the installed xblock.v1 entry points."""
    return {ep.name: ep.value for ep in entry_points(group="xblock.v1") if ep.name in BLOCKS}


class FakeEntryPoint:
    """The little of an entry point that xblock.plugin uses."""

    def __init__(self, name, cls):
        self.name = name
        self.group = "xblock.v1"
        self._cls = cls
        self.dist = None

    def load(self):
        """The block class."""
        return self._cls


def clear_plugin_cache():
    """Forget the classes xblock.plugin has already looked up."""
    xblock.plugin.PLUGIN_CACHE = {}


class StaffUserService(UserService):
    """A user service whose current user is course staff (as Open edX marks it)."""

    def __init__(self, user):
        super().__init__(user=user)
        self._user = user

    def get_current_user(self):
        """The staff user."""
        return self._user


class Workbench:
    """One learner's view of the workbench runtime: load blocks, call handlers, read events."""

    _scenarios = 0

    def __init__(self, user_id: str = "student-1", staff: bool = False):
        self.runtime = WorkbenchRuntime(user_id)
        self.events: list[tuple[str, dict]] = []
        self.runtime.publish = lambda block, event_type, data: self.events.append(
            (event_type, dict(data))
        )
        if staff:
            user = XBlockUser(is_current_user=True, full_name="Kursteam")
            user.opt_attrs["edx-platform.user_is_staff"] = True
            user.opt_attrs["edx-platform.user_role"] = "staff"
            self.runtime._services["user"] = StaffUserService(user)  # noqa: SLF001 - test runtime

    def load(self, xml: str):
        """Parse XML in a fresh scenario and return the block (its usage id is unique)."""
        Workbench._scenarios += 1
        self.runtime.id_generator.set_scenario(f"lotse-test-{Workbench._scenarios}")
        usage_id = self.runtime.parse_xml_string(xml)
        return self.runtime.get_block(usage_id)

    def reload(self, block, user_id: str | None = None, staff: bool = False):
        """The same usage for another (or the same) user, read back from the database."""
        other = Workbench(user_id or self.runtime.user_id, staff=staff)
        return other, other.runtime.get_block(block.scope_ids.usage_id)

    def call(self, block, handler: str, data, raw: bytes | None = None) -> webob.Response:
        """POST a JSON body (or raw bytes) to a handler with a real webob request."""
        body = raw if raw is not None else json.dumps(data).encode("utf-8")
        request = webob.Request.blank(
            "/", method="POST", body=body, content_type="application/json"
        )
        return self.runtime.handle(block, handler, request)

    def events_of(self, event_type: str) -> list[dict]:
        """The data of every published event of a type, in order."""
        return [data for kind, data in self.events if kind == event_type]

    def html(self, block, view: str = "student_view") -> str:
        """The rendered view's HTML."""
        return self.runtime.render(block, view, {}).content


def studio_messages(block, **fields) -> list[str]:
    """The messages validate_field_data() gives for the Studio form values ``fields``."""
    data = type("FieldData", (), fields)()
    messages: list[str] = []
    validation = type("Validation", (), {"add": lambda _self, m: messages.append(m.text)})()
    block.validate_field_data(validation, data)
    return messages
