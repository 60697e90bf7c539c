"""Accounts: email and password rules, argon2 hashes, single-use expiring links, log-in with
its rate limit, the last admin, deleting an account with its data, cohorts."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from starcoach.accounts import (
    Accounts,
    CohortRole,
    Purpose,
    Role,
    User,
    check_password,
    hash_password,
    link,
    normalise_email,
    passwords,
    verify_password,
)
from starcoach.errors import (
    AccountExistsError,
    AccountNotFoundError,
    AuthenticationError,
    InvalidAccountDataError,
    InvalidEmailError,
    InvalidLinkError,
    LastAdminError,
    StarcoachError,
    TooManyAttemptsError,
    WeakPasswordError,
)
from starcoach.storage import AccountStore, CohortStore, Database
from starcoach.storage import recordings as recording_files
from starcoach.storage.faults import DatabaseError

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


class CountingHasher(PasswordHasher):
    """Cheap parameters (these tests hash hundreds of times) and a count of checks."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**{"time_cost": 1, "memory_cost": 1024, "parallelism": 1, **kwargs})
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified += 1
        return super().verify(hash, password)


@pytest.fixture(autouse=True)
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    cheap = CountingHasher()
    monkeypatch.setattr(passwords, "HASHER", cheap)
    return cheap


@pytest.fixture
def database(database_url: str, open_database: Callable[..., Database]) -> Database:
    return open_database(database_url)


@pytest.fixture
def store(database: Database) -> AccountStore:
    return AccountStore(database)


@pytest.fixture
def groups(database: Database) -> CohortStore:
    return CohortStore(database)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(store: AccountStore, clock: Clock) -> Accounts:
    return Accounts(store, clock)


def stored_hash(database: Database, user_id: int) -> str | None:
    with database.engine.connect() as connection:
        return connection.execute(
            text("SELECT password_hash FROM users WHERE id = :i"), {"i": user_id}
        ).scalar()


# Rules


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Ann@Example.COM", "ann@example.com"),
        ("  bo.li+coach@mail.example.org \n", "bo.li+coach@mail.example.org"),
    ],
)
def test_emails_are_stored_trimmed_and_lower_cased(typed: str, stored: str) -> None:
    assert normalise_email(typed) == stored


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("", "is empty"),
        ("ann.example.com", "'ann.example.com' is not an email address: it has no @"),
        ("ann@x@example.com", "more than one @"),
        ("@example.com", "nothing before the @"),
        ("ann@localhost", "not a domain such as example.com"),
        ("ann@example.", "not a domain"),
        ("ann smith@example.com", "a space"),
        ("a" * 250 + "@example.com", "262 characters long; the limit is 254"),
    ],
)
def test_a_bad_email_is_refused_naming_the_problem(typed: str, problem: str) -> None:
    with pytest.raises(InvalidEmailError, match=problem.replace("+", r"\+")) as caught:
        normalise_email(typed)
    assert caught.value.exit_code == 2 and caught.value.http_status == 422


def test_password_rules() -> None:
    assert check_password("x" * 10) == "x" * 10
    assert check_password("y" * 1000) == "y" * 1000
    with pytest.raises(
        WeakPasswordError, match="too short: it has 9 characters and needs at least 10"
    ):
        check_password("x" * 9)
    with pytest.raises(WeakPasswordError, match="too long: it has 1,001 characters"):
        check_password("x" * 1001)


def test_hashes_are_argon2id_with_the_library_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passwords, "HASHER", PasswordHasher())
    hashed = hash_password(PASSWORD)
    assert hashed.startswith("$argon2id$") and "m=65536,t=3" in hashed
    assert verify_password(hashed, PASSWORD)
    assert not verify_password(hashed, PASSWORD + "!")
    assert not verify_password("not a hash", PASSWORD)


# Users


def test_an_account_keeps_only_a_hash_and_never_shows_it(
    store: AccountStore, database: Database
) -> None:
    user = store.add_user("Ann@Example.com", Role.ADMIN, name=" Ann Lee ", password=PASSWORD)
    assert (user.email, user.name, user.role, user.has_password) == (
        "ann@example.com",
        "Ann Lee",
        Role.ADMIN,
        True,
    )
    assert user.session_version == 1 and user.last_login_at is None
    hashed = stored_hash(database, user.id)
    assert hashed is not None and hashed.startswith("$argon2id$") and PASSWORD not in hashed
    assert "password_hash" not in User.model_fields
    assert "$argon2" not in user.model_dump_json()
    assert store.user_by_email(" ANN@example.com") == user
    assert store.user_by_email("nobody@example.com") is None


def test_an_email_has_one_account_whatever_its_case(store: AccountStore) -> None:
    store.add_user("ann@example.com", Role.CANDIDATE, password=PASSWORD)
    with pytest.raises(AccountExistsError, match=r"ann@example\.com already exists"):
        store.add_user("ANN@example.com", Role.COACH)
    with pytest.raises(AccountExistsError):
        store.invite("Ann@Example.com", Role.COACH)
    assert len(store.list_users()) == 1


def test_a_weak_password_or_bad_name_creates_nothing(store: AccountStore) -> None:
    with pytest.raises(WeakPasswordError):
        store.add_user("ann@example.com", Role.CANDIDATE, password="short")
    with pytest.raises(InvalidAccountDataError, match="invisible character"):
        store.add_user("ann@example.com", Role.CANDIDATE, name="Ann\x00")
    assert store.list_users() == []


def test_the_last_admin_stays(store: AccountStore) -> None:
    admin = store.add_user("admin@example.com", Role.ADMIN, password=PASSWORD)
    with pytest.raises(LastAdminError, match="only admin"):
        store.set_role(admin.id, Role.COACH)
    with pytest.raises(LastAdminError):
        store.delete_user(admin.id)
    other = store.add_user("second@example.com", Role.CANDIDATE)
    assert store.set_role(other.id, Role.ADMIN).role is Role.ADMIN
    assert store.set_role(admin.id, Role.COACH).role is Role.COACH
    with pytest.raises(AccountNotFoundError):
        store.get_user(99)
    with pytest.raises(AccountNotFoundError):
        store.set_role(2**40, Role.ADMIN)


def test_two_admins_demoting_each_other_at_once_leave_one(
    store: AccountStore, database: Database
) -> None:
    first = store.add_user("first@example.com", Role.ADMIN, password=PASSWORD)
    second = store.add_user("second@example.com", Role.ADMIN, password=PASSWORD)
    outcome: list[BaseException | None] = []

    def demote_second() -> None:
        try:
            store.set_role(second.id, Role.COACH)
            outcome.append(None)
        except StarcoachError as error:
            outcome.append(error)

    # The first admin's demotion, checked and written but not yet committed, while the second's
    # runs in another thread: that one must see it (and refuse, or fail busy), never both pass.
    with database.engine.begin() as connection:
        user = store._locked_user(connection, first.id)
        store._keep_an_admin(connection, user, "change the role of")
        connection.execute(text("UPDATE users SET role = 'coach' WHERE id = :i"), {"i": first.id})
        other = threading.Thread(target=demote_second)
        other.start()
        other.join(0.5)
    other.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], LastAdminError | DatabaseError)
    assert [u.email for u in store.list_users() if u.role is Role.ADMIN] == ["second@example.com"]


def test_deleting_an_account_deletes_its_data_and_recordings(
    store: AccountStore, groups: CohortStore, database: Database, home: Path
) -> None:
    ann = store.add_user("ann@example.com", Role.CANDIDATE, password=PASSWORD)
    bo = store.add_user("bo@example.com", Role.CANDIDATE, password=PASSWORD)
    cohort = groups.create_cohort("Spring")
    groups.add_member(cohort.id, ann.id, CohortRole.CANDIDATE)
    store.reset_link(ann.id)
    folder = recording_files.folder()
    folder.mkdir(parents=True)
    for name in ("attempt-1.webm", "mock-1-5.webm", "attempt-3.webm"):
        (folder / name).write_bytes(b"audio")
    with database.engine.begin() as connection:
        for owner, previous, recording in (
            (ann.id, None, "attempt-1.webm"),
            (ann.id, 1, None),
            (bo.id, None, "attempt-3.webm"),
        ):
            connection.execute(
                text(
                    "INSERT INTO attempts (question, answer, created_at, owner_id, previous_id,"
                    " recording) VALUES ('Q', 'A', :t, :o, :p, :r)"
                ),
                {"t": T0, "o": owner, "p": previous, "r": recording},
            )
        connection.execute(
            text(
                "INSERT INTO mock_sessions (track, state, created_at, owner_id) VALUES ('t', :s,"
                " :t, :o)"
            ),
            {
                "s": '{"questions": [{"turns": [{"recording": "mock-1-5.webm"}]}]}',
                "t": T0,
                "o": ann.id,
            },
        )
        connection.execute(
            text(
                "INSERT INTO stories (title, data, created_at, updated_at, owner_id)"
                " VALUES ('S', '{}', :t, :t, :o)"
            ),
            {"t": T0, "o": ann.id},
        )

    removed = store.delete_user(ann.id)

    assert (removed.attempts, removed.stories, removed.mock_sessions, removed.plans) == (2, 1, 1, 0)
    assert removed.recordings == 2 and removed.user.email == "ann@example.com"
    assert sorted(p.name for p in folder.iterdir()) == ["attempt-3.webm"]
    with database.engine.connect() as connection:
        for table, left in (
            ("attempts", 1),
            ("mock_sessions", 0),
            ("stories", 0),
            ("invitations", 0),
            ("cohort_members", 0),
        ):
            count = connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar()
            assert count == left, table
    assert [u.email for u in store.list_users()] == ["bo@example.com"]
    with pytest.raises(AccountNotFoundError):
        store.delete_user(ann.id)


# Links


def test_an_invitation_link_works_once(store: AccountStore, database: Database) -> None:
    user, token = store.invite("new@example.com", Role.CANDIDATE, now=T0)
    assert not user.has_password and stored_hash(database, user.id) is None
    with database.engine.connect() as connection:
        kept = connection.execute(text("SELECT * FROM invitations")).one()._mapping
    assert kept["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(value) for value in kept.values()}
    shown = store.invitation(token, now=T0 + timedelta(days=6))
    assert (shown.purpose, shown.email, shown.user_id) == (Purpose.INVITE, user.email, user.id)

    joined = store.redeem_invitation(token, PASSWORD, name="Nia", now=T0 + timedelta(days=1))
    assert joined.has_password and joined.name == "Nia" and joined.id == user.id
    assert joined.session_version == user.session_version + 1
    with pytest.raises(InvalidLinkError, match="already used"):
        store.redeem_invitation(token, "another long password", now=T0 + timedelta(days=1))
    with pytest.raises(InvalidLinkError, match="already used"):
        store.invitation(token)
    assert verify_password(stored_hash(database, user.id) or "", PASSWORD)


def test_an_invitation_expires_after_seven_days(store: AccountStore) -> None:
    _, token = store.invite("new@example.com", Role.COACH, now=T0)
    with pytest.raises(InvalidLinkError, match="expired on 2026-05-08 at 09:00 UTC"):
        store.redeem_invitation(token, PASSWORD, now=T0 + timedelta(days=7))
    assert not store.get_user(1).has_password


def test_a_reset_link_lasts_24_hours_and_ends_sessions_and_other_links(
    store: AccountStore, database: Database
) -> None:
    user = store.add_user("ann@example.com", Role.CANDIDATE, password=PASSWORD, now=T0)
    early = store.reset_link(user.id, now=T0)[1]
    late = store.reset_link(user.id, now=T0 + timedelta(hours=1))[1]
    with pytest.raises(InvalidLinkError, match="expired"):
        store.redeem_invitation(early, "a brand new password", now=T0 + timedelta(hours=24))
    assert store.invitation(late, now=T0 + timedelta(hours=24)).purpose is Purpose.RESET
    done = store.redeem_invitation(late, "a brand new password", now=T0 + timedelta(hours=24))
    assert done.session_version == user.session_version + 1
    assert verify_password(stored_hash(database, user.id) or "", "a brand new password")
    # Choosing the password closed the other link as well; so does an admin's new password.
    with pytest.raises(InvalidLinkError, match="already used"):
        store.invitation(early, now=T0)
    again = store.reset_link(user.id, now=T0 + timedelta(hours=25))[1]
    store.set_password(user.id, "set by the admin here")
    with pytest.raises(InvalidLinkError, match="already used"):
        store.redeem_invitation(again, "too late for this", now=T0 + timedelta(hours=25))


def test_a_bad_token_or_weak_password_uses_up_nothing(store: AccountStore) -> None:
    _, token = store.invite("new@example.com", Role.CANDIDATE, now=T0)
    with pytest.raises(InvalidLinkError, match="not valid"):
        store.redeem_invitation(token[:-2], PASSWORD, now=T0)
    with pytest.raises(WeakPasswordError):
        store.redeem_invitation(token, "short", now=T0)
    assert store.redeem_invitation(token, PASSWORD, now=T0).has_password


def test_an_invitation_without_an_account_creates_one_in_its_cohort(
    store: AccountStore, groups: CohortStore
) -> None:
    cohort = groups.create_cohort("Autumn 2026")
    invitation, token = store.create_invitation(
        Purpose.INVITE, email="Coach@Example.com", role=Role.COACH, cohort_id=cohort.id, now=T0
    )
    assert invitation.email == "coach@example.com" and invitation.user_id is None
    assert invitation.expires_at == T0 + timedelta(days=7)
    user = store.redeem_invitation(token, PASSWORD, now=T0)
    assert (user.email, user.role, user.has_password) == ("coach@example.com", Role.COACH, True)
    assert [(m.user.id, m.role) for m in groups.members(cohort.id)] == [(user.id, CohortRole.COACH)]


def test_links_are_built_from_the_base_url() -> None:
    assert link("https://coach.example.org/", Purpose.INVITE, "abc") == (
        "https://coach.example.org/join/abc"
    )
    assert link("http://127.0.0.1:8000", Purpose.RESET, "xyz") == "http://127.0.0.1:8000/reset/xyz"


# Logging in


def test_logging_in_notes_the_time(accounts: Accounts, store: AccountStore, clock: Clock) -> None:
    user = store.add_user("ann@example.com", Role.CANDIDATE, password=PASSWORD)
    clock.now = T0 + timedelta(minutes=3)
    logged = accounts.authenticate(" Ann@Example.com", PASSWORD, "10.0.0.1")
    assert logged.id == user.id and logged.last_login_at == clock.now


def test_every_failure_says_the_same_and_costs_a_hash_check(
    accounts: Accounts, store: AccountStore, hasher: CountingHasher
) -> None:
    store.add_user("ann@example.com", Role.CANDIDATE, password=PASSWORD)
    store.invite("invited@example.com", Role.CANDIDATE)
    messages = []
    for email, password in (
        ("ann@example.com", "wrong password here"),
        ("nobody@example.com", PASSWORD),
        ("invited@example.com", PASSWORD),
        ("ann@example.com", "x" * 5000),
    ):
        before = hasher.verified
        with pytest.raises(AuthenticationError) as caught:
            accounts.authenticate(email, password, "10.0.0.1")
        assert hasher.verified == before + 1, email  # unknown emails check a dummy hash
        assert caught.value.http_status == 401
        messages.append(str(caught.value))
    assert set(messages) == {"Wrong email or password."}


def test_five_failures_for_an_email_lock_it_for_fifteen_minutes(
    accounts: Accounts, store: AccountStore, clock: Clock
) -> None:
    store.add_user("ann@example.com", Role.CANDIDATE, password=PASSWORD)
    for minute in range(5):
        clock.now = T0 + timedelta(minutes=minute)
        with pytest.raises(AuthenticationError):
            accounts.authenticate("ann@example.com", "wrong password here", f"10.0.0.{minute}")
    clock.now = T0 + timedelta(minutes=5)
    with pytest.raises(TooManyAttemptsError, match="for this email: try again in 10 minutes") as c:
        accounts.authenticate("ANN@example.com", PASSWORD, "10.9.9.9")
    assert c.value.http_status == 429 and c.value.retry_after == 600
    # Another account from the same address is not locked.
    store.add_user("bo@example.com", Role.CANDIDATE, password=PASSWORD)
    assert accounts.authenticate("bo@example.com", PASSWORD, "10.0.0.1").email == "bo@example.com"
    # The first failure leaves the window at 09:15: four remain, so the password is checked.
    clock.now = T0 + timedelta(minutes=15)
    assert accounts.authenticate("ann@example.com", PASSWORD, "10.0.0.1").email == "ann@example.com"


def test_unknown_emails_are_locked_the_same_way(accounts: Accounts, clock: Clock) -> None:
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            accounts.authenticate("ghost@example.com", PASSWORD, "10.0.0.1")
    with pytest.raises(TooManyAttemptsError, match="for this email"):
        accounts.authenticate("ghost@example.com", PASSWORD, "10.0.0.2")


def test_twenty_failures_from_an_address_lock_it(
    accounts: Accounts, store: AccountStore, clock: Clock
) -> None:
    store.add_user("ann@example.com", Role.CANDIDATE, password=PASSWORD)
    for number in range(20):
        clock.now = T0 + timedelta(seconds=number)
        with pytest.raises(AuthenticationError):
            accounts.authenticate(f"guess{number}@example.com", PASSWORD, "203.0.113.7")
    with pytest.raises(TooManyAttemptsError, match="from this address: try again in 15 minutes"):
        accounts.authenticate("ann@example.com", PASSWORD, "203.0.113.7")
    assert accounts.authenticate("ann@example.com", PASSWORD, "198.51.100.1").id == 1


def test_failures_older_than_a_day_are_pruned(store: AccountStore, database: Database) -> None:
    store.record_failure("ann@example.com", "10.0.0.1", now=T0)
    store.record_failure("ann@example.com", "10.0.0.1", now=T0 + timedelta(hours=25))
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM login_failures")).scalar() == 1
    assert store.recent_failures(email="ann@example.com", since=T0, limit=5) == [
        T0 + timedelta(hours=25)
    ]


def test_a_weaker_hash_is_renewed_at_log_in(
    accounts: Accounts, store: AccountStore, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = store.add_user("ann@example.com", Role.CANDIDATE, password=PASSWORD)
    old = stored_hash(database, user.id) or ""
    monkeypatch.setattr(passwords, "HASHER", CountingHasher(time_cost=2))
    accounts.authenticate("ann@example.com", PASSWORD, "10.0.0.1")
    renewed = stored_hash(database, user.id) or ""
    assert renewed != old and "t=2" in renewed and verify_password(renewed, PASSWORD)
    accounts.authenticate("ann@example.com", PASSWORD, "10.0.0.1")
    assert stored_hash(database, user.id) == renewed  # strong enough now: left alone


# Cohorts


def test_cohorts_and_their_members(store: AccountStore, groups: CohortStore) -> None:
    spring = groups.create_cohort("  Spring 2026 ")
    autumn = groups.create_cohort("Autumn 2026")
    assert spring.name == "Spring 2026"
    with pytest.raises(AccountExistsError, match="already exists"):
        groups.create_cohort("Spring 2026")
    with pytest.raises(InvalidAccountDataError, match="empty"):
        groups.create_cohort("  ")
    coach = store.add_user("coach@example.com", Role.COACH, password=PASSWORD)
    zed = store.add_user("zed@example.com", Role.CANDIDATE, cohort_id=spring.id)
    amy = store.add_user("amy@example.com", Role.CANDIDATE)
    groups.add_members(spring.id, [(amy.id, CohortRole.CANDIDATE), (coach.id, CohortRole.COACH)])
    groups.add_member(autumn.id, coach.id, CohortRole.COACH)

    assert [(m.user.email, m.role) for m in groups.members(spring.id)] == [
        ("coach@example.com", CohortRole.COACH),
        ("amy@example.com", CohortRole.CANDIDATE),
        ("zed@example.com", CohortRole.CANDIDATE),
    ]
    assert [(c.name, c.candidates, c.coaches) for c in groups.list_cohorts()] == [
        ("Autumn 2026", 0, 1),
        ("Spring 2026", 2, 1),
    ]
    assert [(m.cohort.name, m.role) for m in groups.cohorts_of(coach.id)] == [
        ("Autumn 2026", CohortRole.COACH),
        ("Spring 2026", CohortRole.COACH),
    ]
    groups.add_member(spring.id, amy.id, CohortRole.COACH)  # a member takes the new role
    assert groups.list_cohorts()[1].coaches == 2
    groups.remove_member(spring.id, zed.id)
    with pytest.raises(AccountNotFoundError, match="not in cohort"):
        groups.remove_member(spring.id, zed.id)
    assert groups.cohorts_of(zed.id) == []
    assert groups.cohort_by_name("Spring 2026 ") == spring
    assert groups.cohort_by_name("Winter") is None


def test_adding_to_a_cohort_is_all_or_nothing(store: AccountStore, groups: CohortStore) -> None:
    cohort = groups.create_cohort("Spring")
    amy = store.add_user("amy@example.com", Role.CANDIDATE)
    with pytest.raises(AccountNotFoundError, match="No account with id 42"):
        groups.add_members(cohort.id, [(amy.id, CohortRole.CANDIDATE), (42, CohortRole.COACH)])
    assert groups.members(cohort.id) == []
    with pytest.raises(AccountNotFoundError, match="No cohort with id 7"):
        groups.add_member(7, amy.id, CohortRole.CANDIDATE)
    with pytest.raises(AccountNotFoundError, match="No cohort"):
        store.add_user("bo@example.com", Role.CANDIDATE, cohort_id=7)
    assert store.user_by_email("bo@example.com") is None


def test_a_clock_in_another_zone_counts_the_same(
    accounts: Accounts, store: AccountStore, clock: Clock
) -> None:
    """Times are stored in UTC: failures timed at UTC+5:30 still fall in the window."""
    india = timezone(timedelta(hours=5, minutes=30))
    for minute in range(5):
        clock.now = (T0 + timedelta(minutes=minute)).astimezone(india)
        with pytest.raises(AuthenticationError):
            accounts.authenticate("ann@example.com", PASSWORD, "10.0.0.1")
    assert store.recent_failures(
        email="ann@example.com", since=T0 - timedelta(seconds=1), limit=9
    ) == [T0 + timedelta(minutes=m) for m in range(4, -1, -1)]
    clock.now = (T0 + timedelta(minutes=6)).astimezone(india)
    with pytest.raises(TooManyAttemptsError, match="try again in 9 minutes"):
        accounts.authenticate("ann@example.com", PASSWORD, "10.0.0.1")
