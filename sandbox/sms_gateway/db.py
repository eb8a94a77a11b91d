"""The gateway's own SQLite file: every message (outbound and inbound) and the numbers that opted out.

Times are stored as naive UTC (SQLite keeps no zone) and read back as aware UTC by `resource.py`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import Index, String, delete, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from sandbox.sqlite_engine import open_sessions

FINAL_STATUSES = frozenset({"delivered", "undelivered", "failed", "received", "canceled"})


class Base(DeclarativeBase):
    pass


class Message(Base):
    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_to_seq", "to", "seq"), Index("ix_messages_date_sent", "date_sent"))

    # Insertion order: lists come newest first by it, and page tokens point into it.
    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    sid: Mapped[str] = mapped_column(String(34), unique=True)
    account_sid: Mapped[str] = mapped_column(String(34))
    direction: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str | None] = mapped_column("from", String(32))
    to: Mapped[str] = mapped_column(String(32))
    body: Mapped[str]
    status: Mapped[str] = mapped_column(String(16))
    num_segments: Mapped[int]
    messaging_service_sid: Mapped[str | None] = mapped_column(String(34))
    status_callback: Mapped[str | None]
    error_code: Mapped[int | None]
    date_created: Mapped[datetime]
    date_updated: Mapped[datetime]
    date_sent: Mapped[datetime | None]


class OptOut(Base):
    """A recipient who replied an opt-out keyword: sending to them is refused with 21610 until they opt in again."""

    __tablename__ = "opt_outs"

    number: Mapped[str] = mapped_column(String(32), primary_key=True)
    opted_out_at: Mapped[datetime]


def open_database(path: Path) -> sessionmaker[Session]:
    """Create (or open) the SQLite file and its tables; sessions never expire objects on commit."""
    return open_sessions(path, Base.metadata)


def find_message(db: Session, account_sid: str, sid: str) -> Message | None:
    return db.scalar(select(Message).where(Message.sid == sid, Message.account_sid == account_sid))


class OptOutRegister:
    """The numbers that opted out: kept in the file, read from memory (the send path checks every message)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self.sessions = sessions
        with sessions() as db:
            self.numbers = set(db.scalars(select(OptOut.number)))

    def __contains__(self, number: object) -> bool:
        return number in self.numbers

    def record(self, number: str, opted_out: bool, now: datetime) -> None:
        with self.sessions() as db:
            if opted_out and number not in self.numbers:
                db.add(OptOut(number=number, opted_out_at=now))
            elif not opted_out:
                db.execute(delete(OptOut).where(OptOut.number == number))
            db.commit()
        (self.numbers.add if opted_out else self.numbers.discard)(number)
