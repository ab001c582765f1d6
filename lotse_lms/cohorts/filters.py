"""The cohort filter every overview applies with one call, and the select its page shows.

An area's list query narrows to one cohort with::

    query = filters.only_cohort(query, User.id, filters.selected_cohort_id())

which adds ``User.id IN (SELECT user_id FROM cohort_members WHERE …)``: one subquery, so
the query count of a page does not change with the filter or with the number of people.
The page's filter form includes the select with
``{% from "cohorts/_filter.html" import cohort_select %}{{ cohort_select() }}``.
"""

import sqlalchemy as sa
from flask import request

from .models import PARTICIPANT, CohortMember

#: The query-string argument of the filter.
ARG = "cohort"


def member_ids(cohort_id, role=PARTICIPANT):
    """A select of the ids of the cohort's members in ``role`` (None: any role)."""
    query = sa.select(CohortMember.user_id).where(CohortMember.cohort_id == cohort_id)
    if role is not None:
        query = query.where(CohortMember.role == role)
    return query


def only_cohort(query, user_id_column, cohort_id, role=PARTICIPANT):
    """``query`` narrowed to people of the cohort (unchanged when ``cohort_id`` is None)."""
    if not cohort_id:
        return query
    return query.where(user_id_column.in_(member_ids(cohort_id, role)))


def selected_cohort_id(args=None):
    """The cohort id the query string asks for (``?cohort=3``), or None."""
    value = (args if args is not None else request.args).get(ARG, "")
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
