"""`lotse_module`: one Q1 module (lessons and knowledge check) as an Open edX XBlock."""

from __future__ import annotations

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.exceptions import JsonHandlerError
from xblock.fields import Boolean, Dict, Float, Integer, List, Scope, String
from xblock.scorable import ScorableXBlockMixin, Score
from xblock.utils.studio_editable import StudioEditableXBlockMixin
from xblock.validation import ValidationMessage

from . import q1
from .base import LotseBlockMixin, trusted
from .i18n import _

DEFAULT_MODULE = "tools-methoden"
MAX_KEY_LENGTH = 120


@XBlock.wants("i18n", "user")
class LotseModuleBlock(
    LotseBlockMixin, StudioEditableXBlockMixin, CompletableXBlockMixin, ScorableXBlockMixin, XBlock
):
    """A Q1 module of the OM-Lotse qualification: introduction, lessons and knowledge check.

    The content comes from content/q1 (the same Markdown as the SCORM packages). Progress is
    per learner: lessons seen, the last answers, the score and whether the check was passed.
    Completion = (lessons seen + check submitted) / (lessons + 1); the grade is the number of
    questions answered right out of all questions, graded on the server.
    """

    # Scopes: which module is shown is content (it travels with the block's definition, e.g.
    # into a library); how this course uses it is settings (name, weight); each learner's
    # progress is user_state. The lesson texts themselves are not fields: they come from
    # content/q1, so a content fix reaches every course without re-import.
    display_name = String(
        display_name=_("Anzeigename"),
        help=_("Name des Bausteins in der Kursnavigation."),
        default="Q1-Modul",
        scope=Scope.settings,
    )
    module_id = String(
        display_name=_("Modul"),
        help=_("Welches Q1-Modul dieser Baustein zeigt (Lektionen und Wissenscheck)."),
        default=DEFAULT_MODULE,
        values=q1.module_choices,
        scope=Scope.content,
    )
    weight = Float(
        display_name=_("Gewichtung"),
        help=_("Punkte, die der Wissenscheck in der Kursbewertung zählt."),
        default=1.0,
        values={"min": 0, "step": 0.1},
        scope=Scope.settings,
    )

    lessons_seen = List(
        help=_("Die Lektionen, die die Lernenden als gelesen markiert haben."),
        default=[],
        scope=Scope.user_state,
    )
    answers = Dict(
        help=_("Die zuletzt eingereichten Antworten im Wissenscheck (Frage-ID → Buchstaben)."),
        default={},
        scope=Scope.user_state,
    )
    score = Integer(
        help=_("Richtig beantwortete Fragen beim letzten Versuch (leer: noch kein Versuch)."),
        default=None,
        scope=Scope.user_state,
    )
    passed = Boolean(
        help=_("Ob der Wissenscheck bestanden ist; danach ist kein weiterer Versuch nötig."),
        default=False,
        scope=Scope.user_state,
    )
    attempts = Integer(
        help=_("Wie oft der Wissenscheck eingereicht wurde."),
        default=0,
        scope=Scope.user_state,
    )

    editable_fields = ("display_name", "module_id", "weight")
    icon_class = "problem"

    # --- content ------------------------------------------------------------------------------

    def _module(self) -> q1.Q1Module | None:
        """The chosen module, or None if it does not exist (ContentError if content is broken)."""
        return q1.get_module(self.module_id)

    def _require_module(self) -> q1.Q1Module:
        """The chosen module for a handler; a JSON error if it is missing or broken."""
        try:
            module = self._module()
        except q1.ContentError:
            raise JsonHandlerError(
                503,
                self.gettext(
                    "Die Inhalte des Moduls sind fehlerhaft. Bitte informieren Sie das Kursteam."
                ),
            ) from None
        if module is None:
            raise JsonHandlerError(
                404,
                self.gettext(
                    "Dieses Modul gibt es nicht mehr. Bitte informieren Sie das Kursteam."
                ),
            )
        return module

    # --- progress -----------------------------------------------------------------------------

    def _seen(self, module: q1.Q1Module) -> list[str]:
        """The current module's lessons the learner has seen, in lesson order."""
        seen = set(self.lessons_seen)
        return [key for key in module.lesson_keys if key in seen]

    def completion_ratio(self, module: q1.Q1Module) -> float:
        """(lessons seen + knowledge check submitted) / (lessons + 1), between 0 and 1."""
        steps = len(module.lessons) + 1
        done = len(self._seen(module)) + (1 if self.score is not None else 0)
        return round(min(done / steps, 1.0), 4)

    def _result(self, module: q1.Q1Module) -> dict | None:
        """The graded last attempt with verdicts and feedback, None before the first one."""
        if self.score is None:
            return None
        result = q1.grade(module.check, self.answers)
        return {
            "right": result.right,
            "total": result.total,
            "percent": result.percent,
            "passed": self.passed,
            "attempts": self.attempts,
            "questions": q1.verdicts(module, self.answers, result),
        }

    def _progress(self, module: q1.Q1Module) -> dict:
        """What the page shows about the learner's progress."""
        return {
            "seen": self._seen(module),
            "lessons": len(module.lessons),
            "completion": self.completion_ratio(module),
            "result": self._result(module),
        }

    # --- scoring (ScorableXBlockMixin) --------------------------------------------------------

    def max_score(self) -> int:
        """Raw points possible: one per question (the runtime scales by `weight`)."""
        try:
            module = self._module()
        except q1.ContentError:
            return 0
        return len(module.check.questions) if module else 0

    def has_submitted_answer(self) -> bool:
        """True once the learner submitted the knowledge check."""
        return self.score is not None

    def get_score(self) -> Score:
        """The stored raw score."""
        return Score(float(self.score or 0), float(self.max_score()))

    def set_score(self, score: Score) -> None:
        """Store a raw score (the runtime's rescoring and overrides)."""
        self.score = int(score.raw_earned)

    def calculate_score(self) -> Score:
        """Grade the stored answers again against the current questions."""
        module = self._module()
        if module is None:
            return Score(0.0, 0.0)
        result = q1.grade(module.check, self.answers)
        return Score(float(result.right), float(result.total))

    def _publish_progress(self, module: q1.Q1Module) -> None:
        """Report completion to the runtime."""
        self.emit_completion(self.completion_ratio(module))

    # --- views --------------------------------------------------------------------------------

    def _strings(self) -> dict[str, str]:
        """The translated strings the script needs."""
        g = self.gettext
        return {
            "lessonsSeen": g("{seen} von {total} Lektionen gelesen"),
            "score": g("{right} von {total} Fragen richtig ({percent} %)"),
            "passed": g(
                "Bestanden – herzlichen Glückwunsch! Sie haben dieses Modul abgeschlossen."
            ),
            "failed": g(
                "Noch nicht bestanden: Sie brauchen mindestens {passing} %. Lesen Sie die Rückmeldungen, "
                "wiederholen Sie die passenden Lektionen und versuchen Sie es dann noch einmal."
            ),
            "questionRight": g("Richtig beantwortet."),
            "questionWrong": g("Nicht richtig beantwortet."),
            "chosenRight": g("Ihre Wahl – richtig."),
            "chosenWrong": g("Ihre Wahl – nicht richtig."),
            "missedRight": g("Richtige Antwort, von Ihnen nicht gewählt."),
            "notChosenRight": g("Nicht gewählt – zu Recht."),
            "missing": g("Bitte beantworten Sie alle Fragen. Noch offen: Frage {numbers}."),
            "seenMark": g("gelesen"),
            "networkError": g(
                "Die Verbindung ist fehlgeschlagen. Bitte versuchen Sie es noch einmal."
            ),
            "decimalSeparator": "." if self.language_code() == "en" else ",",
        }

    def _context(self, module: q1.Q1Module, staff: bool) -> dict:
        """Template values of the student and author views."""
        prefix = self.element_prefix()

        def html(text: str):
            """Rendered Markdown with this block's id prefix."""
            return trusted(text.replace(q1.ID_PLACEHOLDER, prefix))

        def anchor(value: str) -> str:
            """An anchor id with this block's prefix."""
            return value.replace(q1.ID_PLACEHOLDER, prefix)

        return {
            "prefix": prefix,
            "block": self,
            "module": module.module,
            "q1": module,
            "html": html,
            "anchor": anchor,
            "progress": self._progress(module),
            "staff": staff,
            "check": module.check,
        }

    def _error_fragment(self, message: str, details: list[str] | None = None):
        """A fragment that explains why the module cannot be shown."""
        html = self.render_template("error.html", message=message, details=details or [])
        return self.fragment(html, None, None, None)

    def _load_for_view(self, staff: bool):
        """(module, None) or (None, error fragment)."""
        try:
            module = self._module()
        except q1.ContentError as exc:
            details = exc.messages if staff else []
            return None, self._error_fragment(
                self.gettext("Die Inhalte des Moduls sind fehlerhaft."), details
            )
        if module is None:
            return None, self._error_fragment(
                self.gettext(
                    "Das Modul „{module}“ gibt es nicht. Bitte wählen Sie im Studio ein Q1-Modul."
                ).format(module=self.module_id)
            )
        return module, None

    def student_view(self, context=None):
        """Introduction, lessons (one at a time with script, all without) and the knowledge check."""
        staff = self.is_course_staff()
        module, error = self._load_for_view(staff)
        if error is not None:
            return error
        values = self._context(module, staff)
        html = self.render_template("module.html", **values)
        return self.fragment(
            html,
            "js/module.js",
            "LotseModuleBlock",
            {
                "prefix": values["prefix"],
                "pages": [q1.INTRO, *module.lesson_keys, "wissenscheck"],
                "passing": module.check.passing_score,
                "progress": values["progress"],
                "strings": self._strings(),
            },
        )

    def author_view(self, context=None):
        """Studio preview: the chosen module's outline and knowledge-check facts."""
        module, error = self._load_for_view(True)
        if error is not None:
            return error
        html = self.render_template("module_author.html", **self._context(module, True))
        return self.fragment(html, None, None, None)

    # --- handlers -----------------------------------------------------------------------------

    @XBlock.json_handler
    def mark_lesson_seen(self, data, suffix=""):
        """Record that the learner has read a lesson: {"lesson": "<lesson file stem>"}."""
        module = self._require_module()
        lesson = data.get("lesson") if isinstance(data, dict) else None
        if not isinstance(lesson, str) or not lesson or len(lesson) > MAX_KEY_LENGTH:
            raise JsonHandlerError(400, self.gettext("Ungültige Anfrage: Lektion fehlt."))
        if lesson not in module.lesson_keys:
            raise JsonHandlerError(
                400, self.gettext("Diese Lektion gibt es in diesem Modul nicht.")
            )
        if lesson not in self.lessons_seen:
            self.lessons_seen = [*self.lessons_seen, lesson]
        self._publish_progress(module)
        return self._progress(module)

    @XBlock.json_handler
    def submit_check(self, data, suffix=""):
        """Grade the knowledge check on the server: {"answers": {"<question id>": ["a", …], …}}."""
        module = self._require_module()
        if self.passed:
            raise JsonHandlerError(
                409, self.gettext("Sie haben den Wissenscheck bereits bestanden.")
            )
        raw = data.get("answers") if isinstance(data, dict) else None
        try:
            answers = q1.validate_answers(module.check, raw)
        except q1.AnswerError as exc:
            raise JsonHandlerError(400, self.gettext(exc.message).format(**exc.values)) from None
        result = q1.grade(module.check, answers)
        self.answers = answers
        self.score = result.right
        self.attempts += 1
        self.passed = result.passed
        self._publish_grade(Score(float(result.right), float(result.total)))
        self._publish_progress(module)
        return self._progress(module)

    # --- Studio -------------------------------------------------------------------------------

    def validate_field_data(self, validation, data):
        """Studio: the module must exist, the weight must not be negative."""
        if data.module_id not in {choice["value"] for choice in q1.module_choices()}:
            validation.add(
                ValidationMessage(
                    ValidationMessage.ERROR,
                    self.gettext("Das Modul „{module}“ gibt es nicht.").format(
                        module=data.module_id
                    ),
                )
            )
        if data.weight is not None and data.weight < 0:
            validation.add(
                ValidationMessage(
                    ValidationMessage.ERROR, self.gettext("Die Gewichtung darf nicht negativ sein.")
                )
            )

    @staticmethod
    def workbench_scenarios():
        """The three Q1 modules, and one module with a reflection task below it."""
        return [
            ("Lotse: Q1-Modul Tools & Methoden", '<lotse_module module_id="tools-methoden"/>'),
            (
                "Lotse: Q1-Modul Technik",
                '<lotse_module module_id="technik" display_name="Technik"/>',
            ),
            (
                "Lotse: Q1-Modul Megatrends mit Reflexion",
                '<vertical_demo><lotse_module module_id="megatrends" display_name="Megatrends"/>'
                "<lotse_reflection/></vertical_demo>",
            ),
        ]
