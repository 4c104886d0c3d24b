"""Email to many accounts leaves the request: the admin queues it, a worker sends it."""

import io
import re
from http import HTTPStatus

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from accounts import tasks
from students.tests.factories import StudentFactory
from teachers.tests.factories import TeacherFactory
from twofactor.tests.factories import log_in

pytestmark = pytest.mark.django_db

STUDENTS = "/admin/students/student/"
TEACHERS = "/admin/teachers/teacher/"
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_backend(settings):
    """Production's backend: tasks wait in the database for `manage.py db_worker`."""
    settings.TASKS = DATABASE_BACKEND


def act(client, url: str, action: str, users) -> object:
    data = {"action": action, "_selected_action": [user.pk for user in users]}
    return client.post(url, data, follow=True)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def run_worker() -> None:
    """Run `manage.py db_worker` until no task is left, as production's worker would."""
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())


def mixed_selection() -> list:
    """Two students to email, one without an address, one inactive."""
    return [
        StudentFactory(username="ann"),
        StudentFactory(username="bob"),
        StudentFactory(username="kid", email=""),
        StudentFactory(username="gone", is_active=False),
    ]


class TestQueued:
    def test_the_reset_action_sends_nothing_in_the_request(self, staff_client, database_backend):
        response = act(staff_client, STUDENTS, "send_password_reset", mixed_selection())

        assert response.status_code == HTTPStatus.OK
        assert mail.outbox == []
        (queued,) = DBTaskResult.objects.all()
        assert queued.task_path == "accounts.tasks.password_reset_email"
        assert queued.status == TaskResultStatus.READY
        ann, bob = StudentFactory._meta.model.objects.filter(username__in=["ann", "bob"])
        assert sorted(queued.args_kwargs["kwargs"]["user_ids"]) == sorted([ann.pk, bob.pk])

    def test_the_message_counts_queued_and_skipped_emails(self, staff_client, database_backend):
        response = act(staff_client, STUDENTS, "send_password_reset", mixed_selection())

        assert messages_of(response) == [
            "Queued 2 emails; they are sent in the background. "
            "Skipped 2 accounts: 1 without an email address, 1 inactive."
        ]

    def test_nothing_to_send_is_a_warning(self, staff_client, database_backend):
        kid = StudentFactory(email="")

        response = act(staff_client, STUDENTS, "send_password_reset", [kid])

        (message,) = response.context["messages"]
        assert message.level_tag == "warning"
        assert str(message) == (
            "Queued 0 emails; they are sent in the background. "
            "Skipped 1 account: 1 without an email address."
        )
        assert not DBTaskResult.objects.exists()

    def test_a_large_selection_is_a_few_tasks(self, staff_client, database_backend, monkeypatch):
        monkeypatch.setattr(tasks, "CHUNK_SIZE", 2)
        students = StudentFactory.create_batch(5)

        act(staff_client, STUDENTS, "send_password_reset", students)

        chunks = [row.args_kwargs["kwargs"]["user_ids"] for row in DBTaskResult.objects.all()]
        assert sorted(map(len, chunks)) == [1, 2, 2]
        assert sorted(pk for chunk in chunks for pk in chunk) == sorted(s.pk for s in students)

    def test_approve_activates_at_once_and_queues_the_emails(self, staff_client, database_backend):
        pending = TeacherFactory(is_active=False, email="pending@example.com")
        no_address = TeacherFactory(is_active=False, email="")

        response = act(staff_client, TEACHERS, "approve", [pending, no_address, TeacherFactory()])

        pending.refresh_from_db(), no_address.refresh_from_db()
        assert pending.is_active and no_address.is_active
        assert mail.outbox == []
        (queued,) = DBTaskResult.objects.all()
        assert queued.args_kwargs["kwargs"]["user_ids"] == [pending.pk]
        assert messages_of(response) == [
            "Approved 2 accounts. Queued 1 email; it is sent in the background. "
            "Skipped 1 account: 1 without an email address."
        ]


@pytest.mark.django_db(transaction=True)  # the worker opens its own transactions
class TestWorker:
    def test_a_queued_reset_email_is_sent_by_the_worker(self, client, staff, database_backend):
        log_in(client, staff)
        student = StudentFactory(username="ann", email="ann@example.com")
        act(client, STUDENTS, "send_password_reset", [student])
        assert mail.outbox == []

        run_worker()

        assert [m.to for m in mail.outbox] == [["ann@example.com"]]
        assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
        # The link is Django's reset link, and it works.
        link = re.search(r"http://testserver(/accounts/password/reset/\S+)", mail.outbox[0].body)
        client.logout()
        response = client.get(link[1], follow=True)
        assert b'name="new_password1"' in response.content

    def test_a_queued_approval_email_is_sent_by_the_worker(self, client, staff, database_backend):
        log_in(client, staff)
        pending = TeacherFactory(is_active=False, email="pending@example.com")
        act(client, TEACHERS, "approve", [pending])

        run_worker()

        assert [m.to for m in mail.outbox] == [["pending@example.com"]]
        assert "http://testserver/teachers/login/" in mail.outbox[0].body

    def test_the_worker_skips_accounts_changed_since_the_enqueue(
        self, client, staff, database_backend
    ):
        log_in(client, staff)
        left, moved, deleted = StudentFactory.create_batch(3)
        act(client, STUDENTS, "send_password_reset", [left, moved, deleted])
        left.is_active = False
        left.save(update_fields=["is_active"])
        moved.email = ""
        moved.save(update_fields=["email"])
        deleted.delete()

        run_worker()

        assert mail.outbox == []
        result = DBTaskResult.objects.get()
        assert result.status == TaskResultStatus.SUCCESSFUL
        assert result.return_value == {
            "sent": 0,
            "failed": 0,
            "no_address": 1,
            "inactive": 1,
            "missing": 1,
        }


class TestImmediate:
    """Tests and `make run`: the immediate backend sends within the request."""

    def test_the_reset_action_emails_active_accounts_with_an_address(self, staff_client):
        act(staff_client, STUDENTS, "send_password_reset", mixed_selection())

        assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.com", "bob@example.com"]

    def test_one_failing_address_does_not_stop_the_others(self, monkeypatch):
        first, second = TeacherFactory.create_batch(2)
        send = mail.EmailMessage.send

        def refuse_first(message, *args, **kwargs):
            if message.to == [first.email]:
                raise ConnectionError("refused")
            return send(message, *args, **kwargs)

        monkeypatch.setattr(mail.EmailMessage, "send", refuse_first)

        counts = tasks.approved_email.call(user_ids=[first.pk, second.pk], login_url="/")

        assert [m.to for m in mail.outbox] == [[second.email]]
        assert (counts["sent"], counts["failed"]) == (1, 1)

    def test_an_address_django_refuses_is_counted_as_failed(self):
        student = StudentFactory(email="not-an-address")

        counts = tasks.password_reset_email.call(
            user_ids=[student.pk], domain="school.example.org", use_https=True
        )

        assert mail.outbox == []
        assert (counts["sent"], counts["failed"]) == (0, 1)
