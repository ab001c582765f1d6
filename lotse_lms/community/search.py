"""Full-text search over the community's posts and thread titles, with German stemming.

Why the stemming happens here, in Python, on both databases: PostgreSQL's ``german``
configuration keeps "moderieren" ('moderi') and "Moderation" ('moderation') apart and reads
"Pruefung" ('pruefung') as another word than "Prüfung" ('prufung'); SQLite's FTS5 has no German
stemmer at all. So every word goes through :func:`term` (the same on both databases):

1. case and accents folded (``ß``→``ss``, ``ü``→``u``, ``é``→``e``, like FTS5's
   ``remove_diacritics 2``), and the spelled-out umlauts ``ae``/``oe``/``ue`` after a consonant
   read as ``a``/``o``/``u`` (so Prüfung, Pruefung and prufung are one word; "Feuer", "Quelle",
   "Bauer" keep their vowels);
2. the Snowball German stemmer (the algorithm of PostgreSQL's ``german`` configuration);
3. the Latin verbs and their nouns joined: -ieren/-iert/-ierung and -ation/-ator(in) drop to
   one root ("moderieren", "moderiert", "Moderation", "Moderatorin" → ``moder``).

The stemmed words of each post (and, for a thread's opening post, of the thread's title) are
kept in ``community_search_terms``: on PostgreSQL as a ``tsvector`` with a GIN index, queried
with ``to_tsquery('simple', …)`` and ranked with ``ts_rank``; on SQLite in an FTS5 table
(``unicode61 remove_diacritics 2``, external content, kept by triggers) ranked with ``bm25``.

The query language is that of ``websearch_to_tsquery``: words must all occur, ``"a phrase"``,
``-word`` excludes, ``or`` (or ``oder``) between alternatives; anything else (quotes left open, brackets,
operators of either database) is read as plain words, so no input is an error.

The terms are written whenever the ORM flushes a new or changed post (every operation that
creates or edits one); erasure removes a person's rows (``forget_author``). What is shown is
decided at query time from the live rows: spaces the person may read, hidden posts only for
the space's moderators (marked), emptied (erased) posts never.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer
import sqlalchemy as sa
import sqlalchemy.ext.compiler
import sqlalchemy.orm
from markupsafe import Markup, escape
from sqlalchemy.dialects import postgresql

from ..extensions import db
from . import policy
from .models import Post, Space, Thread

#: At most this much of the search text is read, and at most this many words of it.
MAX_QUERY, MAX_WORDS = 1000, 16
RESULTS_PER_PAGE = 20
SNIPPET_CHARS = 240

_WORD = re.compile(r"[^\W_]+")
_STEMMER = snowballstemmer.stemmer("german")
#: ae/oe/ue spelled out for ä/ö/ü: after a consonant (not q), or at the start of a word.
_SPELLED_UMLAUT = re.compile(r"(?:(?<=[b-df-hj-npr-tv-z])|^)([aou])e")
_VERB_ENDINGS = ("ierungen", "ierung", "ierten", "ierter", "iertes", "ierte", "iert", "ieren")
_NOUN_ENDINGS = ("atorinn", "atorin", "ation", "ator")


class TermsType(sa.types.TypeDecorator):
    """The stemmed words: a ``tsvector`` on PostgreSQL, text (read by FTS5) elsewhere."""

    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.TSVECTOR())
        return dialect.type_descriptor(sa.Text())

    def bind_expression(self, bindvalue):
        return _ToVector(bindvalue)


class _ToVector(sa.sql.expression.ColumnElement):
    """``to_tsvector('simple', value)`` on PostgreSQL, the value itself elsewhere."""

    inherit_cache = True

    def __init__(self, value):
        self.value = value
        self.type = sa.Text()


@sa.ext.compiler.compiles(_ToVector)
def _to_vector_default(element, compiler, **kw):
    return compiler.process(element.value, **kw)


@sa.ext.compiler.compiles(_ToVector, "postgresql")
def _to_vector_pg(element, compiler, **kw):
    return f"to_tsvector('simple'::regconfig, {compiler.process(element.value, **kw)})"


#: One row per post with text: its id, its space, whether it is hidden, its stemmed words
#: (space and hidden kept here so that a search reads this table alone until the page's 20
#: posts; no foreign key: deleting posts is not held up by the index, and search joins the
#: live posts, so a left-over row is never shown).
terms_table = sa.Table(
    "community_search_terms",
    db.metadata,
    sa.Column("post_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("space_id", sa.Integer, nullable=False),
    sa.Column("hidden", sa.Boolean, nullable=False, default=False, server_default=sa.false()),
    sa.Column("terms", TermsType, nullable=False),
    # A member of a small space: its few rows are read by this index, not the whole GIN list.
    sa.Index("ix_community_search_terms_space_id", "space_id"),
)
#: A search ranks at most the newest this many matches (a word in every post stays fast).
MAX_RANKED = 2000

#: Built with the tables (db.create_all and the migration): the PostgreSQL GIN index, or the
#: SQLite FTS5 table over the terms with the triggers that keep it in step.
PG_DDL = ("CREATE INDEX ix_community_search_terms_gin ON community_search_terms USING gin (terms)",)
SQLITE_DDL = (
    "CREATE VIRTUAL TABLE community_search_fts USING fts5(terms, content='community_search_terms',"
    " content_rowid='post_id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER community_search_ai AFTER INSERT ON community_search_terms BEGIN"
    " INSERT INTO community_search_fts(rowid, terms) VALUES (new.post_id, new.terms); END",
    "CREATE TRIGGER community_search_ad AFTER DELETE ON community_search_terms BEGIN"
    " INSERT INTO community_search_fts(community_search_fts, rowid, terms)"
    " VALUES ('delete', old.post_id, old.terms); END",
    "CREATE TRIGGER community_search_au AFTER UPDATE ON community_search_terms BEGIN"
    " INSERT INTO community_search_fts(community_search_fts, rowid, terms)"
    " VALUES ('delete', old.post_id, old.terms);"
    " INSERT INTO community_search_fts(rowid, terms) VALUES (new.post_id, new.terms); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS community_search_ai",
    "DROP TRIGGER IF EXISTS community_search_ad",
    "DROP TRIGGER IF EXISTS community_search_au",
    "DROP TABLE IF EXISTS community_search_fts",
)
for _statement in PG_DDL:
    sa.event.listen(
        terms_table, "after_create", sa.DDL(_statement).execute_if(dialect="postgresql")
    )
for _statement in SQLITE_DDL:
    sa.event.listen(terms_table, "after_create", sa.DDL(_statement).execute_if(dialect="sqlite"))
for _statement in SQLITE_DROP:
    sa.event.listen(terms_table, "before_drop", sa.DDL(_statement).execute_if(dialect="sqlite"))


def include_name(name, type_, _parent_names):
    """For Alembic's comparison: the FTS5 table (and its shadow tables) and the GIN index are
    built by the DDL above, not from the models."""
    if type_ == "table":
        return not (name or "").startswith("community_search_fts")
    return name != "ix_community_search_terms_gin"


_fts = sa.table("community_search_fts", sa.column("rowid"), sa.column("terms"))


# --- words -----------------------------------------------------------------------------------


def fold(word):
    """``word`` in lower case without accents, spelled-out umlauts read as umlauts."""
    word = unicodedata.normalize("NFKD", word.casefold().replace("ß", "ss"))
    word = "".join(ch for ch in word if not unicodedata.combining(ch))
    return _SPELLED_UMLAUT.sub(r"\1", word)


@lru_cache(maxsize=50_000)
def term(word):
    """The search term of one word (see the module's description)."""
    word = fold(word)
    for ending in _VERB_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    stem = _STEMMER.stemWord(word)
    for ending in _NOUN_ENDINGS:
        if stem.endswith(ending) and len(stem) - len(ending) >= 4:
            return stem[: -len(ending)]
    return stem


def terms_of(text):
    """The search terms of ``text``, in order."""
    return [term(word) for word in _WORD.findall(text or "")]


def document(title, body):
    """What is indexed for a post: the thread's title (opening post only) and the body."""
    return " ".join(terms_of(f"{title or ''} {body or ''}"))


# --- keeping the terms current ---------------------------------------------------------------


def _rows(posts):
    """Index rows of ``posts`` [(id, space id, hidden, title or '', body)]; empty ones skipped."""
    return [
        {"post_id": pid, "space_id": space_id, "hidden": hidden, "terms": document(title, body)}
        for pid, space_id, hidden, title, body in posts
        if body
    ]


def _withheld(hidden_reason, review):
    """Whether only moderators may find a post: hidden, or held for (or refused by) review."""
    return hidden_reason is not None or review is not None


def _entry(post, thread, opening):
    """What :func:`_rows` indexes of ``post`` in ``thread``; ``opening``: it opens the thread
    (its title is indexed with it)."""
    hidden = _withheld(post.hidden_reason, post.review)
    return post.id, thread.space_id, hidden, thread.title if opening else "", post.body


@sa.event.listens_for(sa.orm.Session, "after_flush")
def _index_flushed(session, _context):
    """Write the terms of every post the flush created or whose text or visibility changed
    (an emptied post loses its row). A new reply costs one INSERT."""
    new = [obj for obj in session.new if isinstance(obj, Post)]
    changed = []
    for obj in session.dirty:
        if isinstance(obj, Post):
            attrs = sa.inspect(obj).attrs
            if any(
                getattr(attrs, name).history.has_changes()
                for name in ("body", "hidden_reason", "review")
            ):
                changed.append(obj)
    if not new and not changed:
        return
    with session.no_autoflush:
        first = {}
        if changed:
            first = dict(
                session.execute(
                    sa.select(Post.thread_id, sa.func.min(Post.id))
                    .where(Post.thread_id.in_({post.thread_id for post in changed}))
                    .group_by(Post.thread_id)
                ).all()
            )

        def opening(post):
            # A new post opens its thread while the thread has no last post yet.
            if post in new:
                return post.thread.last_post_id == 0
            return first.get(post.thread_id) == post.id

        rows = _rows(_entry(post, post.thread, opening(post)) for post in new + changed)
    connection = session.connection()
    if changed:
        ids = [post.id for post in changed]
        connection.execute(terms_table.delete().where(terms_table.c.post_id.in_(ids)))
    if rows:
        connection.execute(terms_table.insert(), rows)


def index_written(post, thread):
    """Write the terms of ``post``, just written to ``thread`` by an INSERT of its own (the
    flush above indexes the posts the unit of work writes)."""
    rows = _rows([_entry(post, thread, opening=thread.last_post_id == 0)])  # see _index_flushed
    if rows:
        db.session.execute(terms_table.insert(), rows)


def forget_author(user):
    """Drop the terms of ``user``'s posts (erasure empties them; nothing of them stays here)."""
    db.session.execute(
        terms_table.delete().where(
            terms_table.c.post_id.in_(sa.select(Post.id).where(Post.author_id == user.id))
        )
    )


def forget_posts(post_ids):
    """Drop the terms of the posts selected by ``post_ids`` (deleted threads, the retention)."""
    db.session.execute(terms_table.delete().where(terms_table.c.post_id.in_(post_ids)))


def reindex(batch=5000):
    """Rebuild every post's terms (after an import or a restore); returns how many."""
    db.session.execute(terms_table.delete())
    first = set(db.session.scalars(sa.select(sa.func.min(Post.id)).group_by(Post.thread_id)).all())
    count, last = 0, 0
    while True:
        chunk = db.session.execute(
            sa.select(
                Post.id,
                Thread.space_id,
                sa.or_(Post.hidden_reason.is_not(None), Post.review.is_not(None)),
                Thread.title,
                Post.body,
            )
            .join(Thread, Thread.id == Post.thread_id)
            .where(Post.id > last)
            .order_by(Post.id)
            .limit(batch)
        ).all()
        if not chunk:
            return count
        rows = _rows(
            (pid, space, hidden, title if pid in first else "", body)
            for pid, space, hidden, title, body in chunk
        )
        if rows:
            db.session.execute(terms_table.insert(), rows)
        count, last = count + len(rows), chunk[-1][0]


# --- the query ---------------------------------------------------------------------------------

_QUERY_PARTS = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse(text):
    """The search text as alternatives (split at ``or``), each a list of (exclude, terms):
    one term is a word, several a phrase. Alternatives without a word to find are dropped.

    A word or phrase said twice in one alternative, and an alternative said twice, count
    once (the same matches): a long text of repeats ("a b c a b c …") asks for few terms.
    At most MAX_WORDS words are kept."""
    alternatives, current, words = [], [], 0
    for match in _QUERY_PARTS.finditer((text or "")[:MAX_QUERY]):
        exclude, phrase, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare.lower() in ("or", "oder"):
            alternatives.append(current)
            current = []
            continue
        if bare is not None:
            exclude = "-" if bare.startswith("-") else ""
            phrase = bare
        found = terms_of(phrase)
        if not found or words >= MAX_WORDS:
            continue
        part = (bool(exclude), tuple(found[: MAX_WORDS - words]))
        if part in current:
            continue
        words += len(part[1])
        current.append(part)
    alternatives.append(current)
    kept = []
    for alt in alternatives:
        if any(not exclude for exclude, _ in alt) and alt not in kept:
            kept.append(alt)
    return kept


def _pg_query(alternatives):
    """The ``to_tsquery('simple', …)`` text: lexemes quoted (they hold letters and digits)."""

    def part(terms):
        return " <-> ".join(f"'{t}'" for t in terms)

    return " | ".join(
        "("
        + " & ".join(("!" if exclude else "") + f"({part(terms)})" for exclude, terms in alt)
        + ")"
        for alt in alternatives
    )


def _fts_query(alternatives):
    """The FTS5 MATCH text: every word or phrase in double quotes (no operator gets through)."""

    def part(terms):
        return '"' + " ".join(terms) + '"'

    def alternative(alt):
        wanted = " AND ".join(part(t) for exclude, t in alt if not exclude)
        for exclude, terms in alt:
            if exclude:
                wanted = f"({wanted}) NOT {part(terms)}"
        return f"({wanted})"

    return " OR ".join(alternative(alt) for alt in alternatives)


def _candidates(q, visible, moderated):
    """The newest MAX_RANKED matches of ``q`` (a query of this dialect) in the ``visible``
    spaces, hidden ones only in ``moderated`` ones: a subquery of (post_id, score)."""
    t = terms_table.c
    allowed = sa.and_(
        t.space_id.in_(visible), sa.or_(t.hidden.is_(False), t.space_id.in_(moderated or [-1]))
    )
    if db.engine.dialect.name == "postgresql":
        # The query's text goes into the statement (quoted by the dialect; its terms are
        # letters and digits anyway): as a parameter, the driver prepares the statement after
        # a few searches and PostgreSQL then plans it once for any text (a generic plan), which
        # for a phrase of common words walks every post backwards (seen: 100 ms to 900 ms).
        # With the text, each search is planned with the statistics of its own words.
        query = sa.func.to_tsquery(
            sa.literal_column("'simple'::regconfig"), sa.bindparam("q", q, literal_execute=True)
        )
        newest = (
            sa.select(t.post_id, t.terms)
            .where(t.terms.op("@@")(query), allowed)
            .order_by(t.post_id.desc())
            .limit(MAX_RANKED)
            .subquery("newest")
        )
        score = sa.func.ts_rank(newest.c.terms, query)
        return sa.select(newest.c.post_id, score.label("score")).subquery("hits")
    fts = sa.literal_column("community_search_fts")
    # bm25 is smaller for better matches; negated, higher is better on both databases.
    return (
        sa.select(_fts.c.rowid.label("post_id"), (-sa.func.bm25(fts)).label("score"))
        .join(terms_table, t.post_id == _fts.c.rowid)
        .where(fts.op("MATCH")(sa.bindparam("q", q)), allowed)
        .order_by(_fts.c.rowid.desc())
        .limit(MAX_RANKED)
        .subquery("hits")
    )


def search(user, text, listing):
    """One page of the posts ``user`` may read that match ``text``, best first, as rows of
    (post, thread, space, score, position in thread); ``None`` when there is nothing to find.
    Hidden posts are found only by the space's moderators; emptied (erased) posts never.
    ``listing.total`` is the number of matches, at most MAX_RANKED (the newest are ranked)."""
    listing.total = 0
    alternatives = parse(text)
    if not alternatives:
        return None
    from .queries import visible_spaces  # queries imports operations, which imports us

    spaces = visible_spaces(user)
    visible = [space.id for space in spaces]
    moderated = [space.id for space in spaces if policy.may_moderate(user, space)]
    postgres = db.engine.dialect.name == "postgresql"
    hits = _candidates(
        _pg_query(alternatives) if postgres else _fts_query(alternatives), visible, moderated
    )

    def page_of_scores():
        """(post id, score, number of matches) of the listing's page, in one statement."""
        return db.session.execute(
            sa.select(hits.c.post_id, hits.c.score, sa.func.count().over())
            .order_by(hits.c.score.desc(), hits.c.post_id.desc())
            .limit(listing.size)
            .offset((listing.page - 1) * listing.size)
        ).all()

    scores = page_of_scores()
    if not scores and listing.page > 1:  # past the last page: count, then show the last one
        listing.total = db.session.scalar(sa.select(sa.func.count()).select_from(hits))
        listing.page = min(listing.page, listing.pages)
        scores = page_of_scores()
    if not scores:
        return []
    listing.total = scores[0][2]
    ids = [post_id for post_id, _score, _total in scores]
    found = {
        post.id: (post, thread, space)
        for post, thread, space in db.session.execute(
            sa.select(Post, Thread, Space)
            .join(Thread, Thread.id == Post.thread_id)
            .join(Space, Space.id == Thread.space_id)
            .where(Post.id.in_(ids), Post.body != "")
        )
    }
    earlier = sa.orm.aliased(Post)
    positions = dict(
        db.session.execute(
            sa.select(Post.id, sa.func.count(earlier.id))
            .join(earlier, sa.and_(earlier.thread_id == Post.thread_id, earlier.id <= Post.id))
            .where(Post.id.in_(ids))
            .group_by(Post.id)
        ).all()
    )
    return [
        (*found[pid], score, positions.get(pid, 1)) for pid, score, _total in scores if pid in found
    ]


# --- showing a hit ------------------------------------------------------------------------------

_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_MARKS = re.compile(r"[*_`~|]+|^\s*(?:[>#]+\s*|[-+]\s+)", re.MULTILINE)


def plain(markdown):
    """A post's Markdown as plain text in one line (links by their text, marks dropped)."""
    text = _MARKDOWN_LINK.sub(r"\1", markdown or "")
    text = _MARKDOWN_MARKS.sub(" ", text)
    return " ".join(text.split())


def wanted_terms(text):
    """The terms of the search text that a hit should show marked (not the excluded ones)."""
    return {t for alt in parse(text) for exclude, terms in alt if not exclude for t in terms}


def highlight(text, wanted, limit=None):
    """``text`` escaped, its words whose term is in ``wanted`` in ``<mark>``; with ``limit``,
    only about that many characters around the first marked word."""
    matches = [m for m in _WORD.finditer(text) if term(m.group()) in wanted]
    start, end = 0, len(text)
    if limit is not None and len(text) > limit:
        first = matches[0].start() if matches else 0
        start = max(0, first - limit // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + limit)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
    out, at = [], start
    for m in matches:
        if m.start() < start or m.end() > end:
            continue
        out.append(escape(text[at : m.start()]))
        out.append(Markup("<mark>%s</mark>") % m.group())
        at = m.end()
    out.append(escape(text[at:end]))
    if start:
        out.insert(0, escape("… "))
    if end < len(text):
        out.append(escape(" …"))
    return Markup("").join(out)


def snippet(post, wanted):
    """The part of the post around its first match, escaped, matches marked."""
    return highlight(plain(post.body), wanted, SNIPPET_CHARS)
