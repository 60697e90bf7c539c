"""Accounts for shared mode (docs/accounts.md): users and their roles, passwords, sign-up and
reset links, cohorts, and logging in. The tables and their store are storage/accounts.py."""

from .checks import clean_cohort_name, clean_name, normalise_email
from .model import (
    Cohort,
    CohortRole,
    CohortSummary,
    Invitation,
    Member,
    Membership,
    Purpose,
    RemovedUser,
    Role,
    User,
)
from .passwords import check_password, hash_password, needs_rehash, verify_password
from .service import Accounts, link

__all__ = [
    "Accounts",
    "Cohort",
    "CohortRole",
    "CohortSummary",
    "Invitation",
    "Member",
    "Membership",
    "Purpose",
    "RemovedUser",
    "Role",
    "User",
    "check_password",
    "clean_cohort_name",
    "clean_name",
    "hash_password",
    "link",
    "needs_rehash",
    "normalise_email",
    "verify_password",
]
