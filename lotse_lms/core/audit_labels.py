"""Readable German descriptions of audit actions, for the audit log page."""

from flask_babel import lazy_gettext as _l

#: Area (the action code's prefix) -> its name, for the log's filter.
AREAS = {
    "accounts": _l("Konten und Nachweise"),
    "certification": _l("Zertifikate"),
    "mentoring": _l("Mentoring"),
    "q1": _l("Selbstlernmodule"),
    "q2": _l("Q2-Live-Termine"),
    "reflecting_team": _l("Reflecting Team"),
}

#: Action code -> what happened, as people read it in the log.
ACTIONS = {
    "accounts.created": _l("Konto angelegt"),
    "accounts.activated": _l("Konto aktiviert"),
    "accounts.deactivated": _l("Konto deaktiviert"),
    "accounts.roles_changed": _l("Rollen geändert"),
    "accounts.authorisation_submitted": _l("Autorisierung eingereicht"),
    "accounts.authorisation_verified": _l("Autorisierung bestätigt"),
    "accounts.authorisation_rejected": _l("Autorisierung abgelehnt"),
    "accounts.workshop_submitted": _l("Workshop-Nachweis eingereicht"),
    "accounts.workshop_verified": _l("Workshop-Nachweis bestätigt"),
    "accounts.workshop_rejected": _l("Workshop-Nachweis abgelehnt"),
    "cohorts.created": _l("Durchgang angelegt"),
    "cohorts.changed": _l("Durchgang geändert"),
    "cohorts.deleted": _l("Durchgang gelöscht"),
    "cohorts.member_added": _l("Person in einen Durchgang aufgenommen"),
    "cohorts.member_removed": _l("Person aus einem Durchgang genommen"),
    "community.board_saved": _l("Themenforum der Lotsen-Community gespeichert"),
    "community.thread_pinned": _l("Thema angeheftet oder nicht mehr angeheftet"),
    "community.thread_locked": _l("Thema gesperrt oder entsperrt"),
    "community.post_reported": _l("Beitrag gemeldet"),
    "community.post_hidden": _l("Beitrag ausgeblendet"),
    "community.post_shown": _l("Beitrag wieder eingeblendet"),
    "community.report_dismissed": _l("Meldung geschlossen"),
    "rooms.meeting_scheduled": _l("Treffen eines Experimentierraums geplant"),
    "rooms.meeting_changed": _l("Treffen eines Experimentierraums geändert"),
    "rooms.meeting_cancelled": _l("Treffen eines Experimentierraums abgesagt"),
    "rooms.protocol_saved": _l("Protokoll eines Treffens gespeichert"),
    "rooms.protocol_approved": _l("Protokoll eines Treffens freigegeben"),
    "rooms.file_uploaded": _l("Datei in einen Experimentierraum hochgeladen"),
    "rooms.file_deleted": _l("Datei eines Experimentierraums gelöscht"),
    "accounts.email_confirmed": _l("E-Mail-Adresse bestätigt"),
    "privacy.export_started": _l("Datenexport angefordert"),
    "privacy.erasure_requested": _l("Löschung der Daten beantragt"),
    "privacy.erasure_withdrawn": _l("Löschantrag zurückgezogen"),
    "privacy.erased": _l("Daten einer Person gelöscht"),
    "certification.issued": _l("Zertifikat ausgestellt"),
    "certification.renewed": _l("Zertifikat erneuert"),
    "certification.revoked": _l("Zertifikat widerrufen"),
    "certification.bulk_started": _l("Sammelausstellung begonnen"),
    "certification.bulk_finished": _l("Sammelausstellung abgeschlossen"),
    "mentoring.mentor_assigned": _l("Mentorin / Mentor zugeordnet"),
    "mentoring.assignment_ended": _l("Mentoring-Zuordnung beendet"),
    "mentoring.entry_created": _l("Feedback-Eintrag angelegt"),
    "mentoring.entry_revised": _l("Feedback-Eintrag überarbeitet"),
    "mentoring.reply_added": _l("Antwort auf Feedback"),
    "mentoring.recommendation_given": _l("Empfehlung ausgesprochen"),
    "q1.package_imported": _l("Lernpaket importiert"),
    "q1.package_updated": _l("Neue Version eines Lernpakets"),
    "q2.session_created": _l("Live-Termin angelegt"),
    "q2.session_updated": _l("Live-Termin geändert"),
    "q2.session_cancelled": _l("Live-Termin abgesagt"),
    "q2.enrolled": _l("Zum Live-Termin angemeldet"),
    "q2.waiting": _l("Auf die Warteliste gesetzt"),
    "q2.promoted": _l("Von der Warteliste nachgerückt"),
    "q2.cancelled": _l("Anmeldung storniert"),
    "q2.attendance_recorded": _l("Anwesenheit erfasst"),
    "q2.attendance_corrected": _l("Anwesenheit korrigiert"),
    "q2.feed_created": _l("Kalender-Abo angelegt"),
    "q2.feed_revoked": _l("Kalender-Abo widerrufen"),
    "reflecting_team.session_created": _l("Reflecting-Team-Sitzung angelegt"),
    "reflecting_team.session_updated": _l("Reflecting-Team-Sitzung geändert"),
    "reflecting_team.session_closed": _l("Reflecting-Team-Sitzung abgeschlossen"),
    "reflecting_team.case_submitted": _l("Fall eingereicht"),
    "reflecting_team.case_revised": _l("Fall überarbeitet"),
    "reflecting_team.reflection_recorded": _l("Reflexion festgehalten"),
    "reflecting_team.reflection_revised": _l("Reflexion überarbeitet"),
    "reflecting_team.self_reflection_recorded": _l("Selbstreflexion festgehalten"),
    "reflecting_team.self_reflection_revised": _l("Selbstreflexion überarbeitet"),
    "reflecting_team.amendment_added": _l("Nachtrag ergänzt"),
    "rooms.topic_proposed": _l("Thema für den Themenspeicher vorgeschlagen"),
    "rooms.topic_state": _l("Stand eines Themas geändert"),
    "rooms.action_created": _l("Aufgabe im Experimentierraum vereinbart"),
    "rooms.action_changed": _l("Aufgabe im Experimentierraum geändert"),
    "rooms.action_status": _l("Stand einer Aufgabe geändert"),
    "rooms.action_commented": _l("Aufgabe kommentiert"),
    "rooms.experiment_saved": _l("Experiment protokolliert"),
    "rooms.card_saved": _l("Lernkarte gespeichert"),
    "rooms.card_decided": _l("Betrieb hat einer Lernkarte zugestimmt oder sie abgelehnt"),
    "rooms.card_published": _l("Lernkarte veröffentlicht"),
}


def describe(action):
    """What ``action`` means in words; the code itself for an action without a description."""
    return ACTIONS.get(action, action)


def shown_details(details):
    """The details worth showing: empty values ([] , "", None) are left out."""
    return {
        key: ", ".join(str(v) for v in value) if isinstance(value, list) else value
        for key, value in (details or {}).items()
        if value not in (None, "", [], {})
    }
