"""Lists that grow with the programme: one page at a time, sorted and searched in SQL.

A list page reads its ``Listing`` from the query string (``q`` search text, ``sort`` key,
``dir`` asc/desc, ``page``), applies it to its select and shows the page with the macros of
``core/_paging.html`` (search form, sortable column headers, pager with the total count).
"""

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import request, url_for

from ..extensions import db

PAGE_SIZE = 50


@dataclass
class Listing:
    """What a list page shows: search text, sort key and direction, page number."""

    #: The endpoint and its fixed view arguments (for links to other pages and sorts).
    endpoint: str
    view_args: dict = field(default_factory=dict)
    #: Sort key -> column expression; the first is the default.
    sorts: dict = field(default_factory=dict)
    q: str = ""
    sort: str = ""
    desc: bool = False
    page: int = 1
    size: int = PAGE_SIZE
    #: Further filters of the page (e.g. status) kept in every link.
    filters: dict = field(default_factory=dict)
    #: Sort keys whose column is never NULL in the page's select (sorted from an index).
    not_null: tuple = ()
    total: int = 0

    @classmethod
    def from_request(cls, endpoint, sorts, filters=(), size=PAGE_SIZE, not_null=(), **view_args):
        """The listing the query string asks for (unknown sort keys fall back to the first)."""
        args = request.args
        sort = args.get("sort", "")
        try:
            page = max(1, int(args.get("page", 1)))
        except ValueError:
            page = 1
        return cls(
            endpoint=endpoint,
            view_args=view_args,
            sorts=sorts,
            q=args.get("q", "").strip()[:100],
            sort=sort if sort in sorts else next(iter(sorts), ""),
            desc=args.get("dir") == "desc",
            page=page,
            size=size,
            filters={k: args.get(k, "") for k in filters if args.get(k)},
            not_null=tuple(not_null),
        )

    def pattern(self):
        """The search text as a case-insensitive LIKE pattern (wildcards escaped), or None."""
        if not self.q:
            return None
        escaped = self.q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"%{escaped}%"

    def matches(self, *columns):
        """A condition: the search text occurs in any of ``columns`` (true without search)."""
        pattern = self.pattern()
        if pattern is None:
            return sa.true()
        return sa.or_(*(sa.func.lower(c).like(pattern, escape="\\") for c in columns))

    def order(self, *tiebreak):
        """ORDER BY terms: the chosen sort (NULLs last), then ``tiebreak`` columns.

        A sort key in ``not_null`` gets no NULLS LAST: PostgreSQL reads "DESC NULLS LAST"
        from an index only if the index was built so, and the plain ones are not."""
        column = self.sorts[self.sort]
        term = column.desc() if self.desc else column.asc()
        return [term if self.sort in self.not_null else term.nulls_last(), *tiebreak]

    def fetch(self, select, *tiebreak, scalars=False, key=None, counted=None):
        """Count ``select`` (its total) and return this page of it, ordered.

        ``counted``: a narrower select with the same rows, counted instead of ``select``
        (e.g. without outer joins that only add columns: PostgreSQL cannot drop them).

        ``key``: a unique column of ``select`` (its id). The page is then chosen on that
        column alone and only its rows are read whole, in the same statement (a deferred
        join): a deep page skips narrow index entries instead of whole joined rows."""
        self.total = db.session.scalar(
            sa.select(sa.func.count()).select_from(
                (select if counted is None else counted).order_by(None).subquery()
            )
        )
        self.page = min(self.page, self.pages)
        order = self.order(*tiebreak)
        offset = (self.page - 1) * self.size
        if key is None:
            page = select.order_by(*order).limit(self.size).offset(offset)
        else:
            chosen = select.with_only_columns(key).order_by(*order).limit(self.size)
            page = select.where(key.in_(chosen.offset(offset))).order_by(*order)
        return db.session.scalars(page).all() if scalars else db.session.execute(page).all()

    @property
    def pages(self):
        """How many pages the total fills (at least one)."""
        return max(1, -(-self.total // self.size))

    def url(self, **changes):
        """The link to this list with some arguments changed (e.g. page=2)."""
        args = {**self.filters, "q": self.q, "sort": self.sort, "page": self.page}
        if self.desc:
            args["dir"] = "desc"
        args.update(changes)
        args = {k: v for k, v in args.items() if v not in ("", None, 1) or k == "sort"}
        return url_for(self.endpoint, **self.view_args, **args)

    def sort_url(self, key):
        """The link that sorts by ``key`` (ascending, or descending when already ascending)."""
        flip = key == self.sort and not self.desc
        return self.url(sort=key, dir="desc" if flip else None, page=None)
