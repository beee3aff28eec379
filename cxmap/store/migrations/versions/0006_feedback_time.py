"""feedback time: the moment a feedback row was given, in UTC, when its source says it

A value with a time and an offset (2024-03-09T23:30-05:00) keeps its moment here (timezone-aware,
UTC); ``created_at`` stays its UTC date. Date-only rows, and every row imported before, have
NULL: nothing to backfill (their time was never stored).

Revision ID: 0006_feedback_time
Revises: 0005_feedback_channel
Create Date: 2026-12-07 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006_feedback_time'
down_revision: str | None = '0005_feedback_channel'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('received_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_column('received_at')
