"""`lotse_reflection`: a reflection prompt with a text answer per learner and an answer count."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Integer, Scope, String
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from .base import LotseBlockMixin
from .i18n import _

DEFAULT_PROMPT = (
    "Welche Methode aus dem Reflecting Team probieren Sie in Ihrem nächsten Experimentierraum aus?"
)
DEFAULT_MAX_LENGTH = 2000
MAX_LENGTH_LIMIT = 10000
MAX_PROMPT_LENGTH = 1000


@XBlock.wants("i18n", "user")
class LotseReflectionBlock(
    LotseBlockMixin, StudioEditableXBlockMixin, CompletableXBlockMixin, XBlock
):
    """A reflection task: the learner writes a short answer that is saved for them.

    Ungraded; complete once the learner saved an answer. The course team sees how many
    learners answered (a user_state_summary counter shared by all learners of this block),
    not the answers themselves.
    """

    # Scopes: the question is content (part of the block's definition); name and length limit
    # are this course's settings; the answer belongs to one learner (user_state); the count is
    # shared by all learners of this block (user_state_summary), so staff see it without
    # reading anyone's answer.
    display_name = String(
        display_name=_("Anzeigename"),
        help=_("Name des Bausteins in der Kursnavigation."),
        default="Reflexion",
        scope=Scope.settings,
    )
    prompt = String(
        display_name=_("Reflexionsfrage"),
        help=_("Die Frage, auf die die Lernenden antworten."),
        default=DEFAULT_PROMPT,
        multiline_editor=True,
        scope=Scope.content,
    )
    max_length = Integer(
        display_name=_("Höchstlänge der Antwort"),
        help=_("Wie viele Zeichen eine Antwort höchstens haben darf."),
        default=DEFAULT_MAX_LENGTH,
        values={"min": 1, "max": MAX_LENGTH_LIMIT, "step": 1},
        scope=Scope.settings,
    )

    answer = String(
        help=_("Die gespeicherte Antwort der lernenden Person."),
        default="",
        scope=Scope.user_state,
    )
    answered_at = String(
        help=_("Wann die Antwort zuletzt gespeichert wurde (UTC, ISO 8601)."),
        default="",
        scope=Scope.user_state,
    )
    answer_count = Integer(
        help=_("Wie viele Lernende geantwortet haben (für das Kursteam)."),
        default=0,
        scope=Scope.user_state_summary,
    )

    editable_fields = ("display_name", "prompt", "max_length")
    icon_class = "other"

    def _strings(self) -> dict[str, str]:
        """The translated strings the script needs."""
        g = self.gettext
        return {
            "saved": g("Ihre Antwort ist gespeichert."),
            "savedAt": g("Zuletzt gespeichert: {time} (UTC)"),
            "counter": g("{length} von {max} Zeichen"),
            "tooLong": g("Ihre Antwort ist zu lang: höchstens {max} Zeichen (jetzt {length})."),
            "empty": g("Bitte schreiben Sie eine Antwort."),
            "networkError": g(
                "Die Verbindung ist fehlgeschlagen. Bitte versuchen Sie es noch einmal."
            ),
        }

    def _summary_text(self, count: int) -> str:
        """'N learners answered' in the current language."""
        return self.ngettext(
            "Bisher hat {count} lernende Person geantwortet.",
            "Bisher haben {count} Lernende geantwortet.",
            count,
        ).format(count=count)

    def _context(self, staff: bool) -> dict:
        """Template values of the views."""
        return {
            "prefix": self.element_prefix(),
            "block": self,
            "staff": staff,
            "summary": self._summary_text(self.answer_count),
        }

    def student_view(self, context=None):
        """The prompt, the learner's answer and, for course staff, how many learners answered."""
        staff = self.is_course_staff()
        values = self._context(staff)
        html = self.render_template("reflection.html", **values)
        return self.fragment(
            html,
            "js/reflection.js",
            "LotseReflectionBlock",
            {
                "prefix": values["prefix"],
                "maxLength": self.max_length,
                "strings": self._strings(),
            },
        )

    def author_view(self, context=None):
        """Studio preview: the prompt, the length limit and how many learners answered."""
        html = self.render_template("reflection_author.html", **self._context(True))
        return self.fragment(html, None, None, None)

    @XBlock.json_handler
    def save_answer(self, data, suffix=""):
        """Save the learner's answer: {"answer": "<text>"}; counts the learner once."""
        raw = data.get("answer") if isinstance(data, dict) else None
        if not isinstance(raw, str):
            raise JsonHandlerError(400, self.gettext("Ungültige Anfrage: Antwort fehlt."))
        text = raw.replace("\r\n", "\n").replace("\r", "\n").strip()
        text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
        if not text:
            raise JsonHandlerError(400, self.gettext("Bitte schreiben Sie eine Antwort."))
        if len(text) > self.max_length:
            raise JsonHandlerError(
                400,
                self.gettext(
                    "Ihre Antwort ist zu lang: höchstens {max} Zeichen (jetzt {length})."
                ).format(max=self.max_length, length=len(text)),
            )
        first = not self.answer
        self.answer = text
        self.answered_at = datetime.now(UTC).isoformat(timespec="seconds")
        if first:
            self.answer_count += 1
        self.emit_completion(1.0)
        return {"answer": self.answer, "answered_at": self.answered_at}

    def validate_field_data(self, validation, data):
        """Studio: a prompt is needed, not longer than MAX_PROMPT_LENGTH; the limit is 1–10000."""
        if not (data.prompt or "").strip():
            validation.add(
                ValidationMessage(
                    ValidationMessage.ERROR,
                    self.gettext("Bitte geben Sie eine Reflexionsfrage ein."),
                )
            )
        elif len(data.prompt) > MAX_PROMPT_LENGTH:
            validation.add(
                ValidationMessage(
                    ValidationMessage.ERROR,
                    self.gettext(
                        "Die Reflexionsfrage ist zu lang: höchstens {max} Zeichen."
                    ).format(max=MAX_PROMPT_LENGTH),
                )
            )
        if data.max_length is None or not 1 <= data.max_length <= MAX_LENGTH_LIMIT:
            validation.add(
                ValidationMessage(
                    ValidationMessage.ERROR,
                    self.gettext(
                        "Die Höchstlänge muss zwischen 1 und {max} Zeichen liegen."
                    ).format(max=MAX_LENGTH_LIMIT),
                )
            )

    @staticmethod
    def workbench_scenarios():
        """The default reflection task and one with a short limit."""
        return [
            ("Lotse: Reflexion zum Reflecting Team", "<lotse_reflection/>"),
            (
                "Lotse: Reflexion mit eigener Frage",
                '<lotse_reflection display_name="Ihr Experimentierraum" max_length="280" '
                'prompt="Welches Megatrend-Thema passt zu Ihrem Experimentierraum?"/>',
            ),
        ]
