from django_tasks import task


@task()
def send_outgoing_mail(mail_id: int) -> bool:
    from superconnector.core.domain.mail import deliver

    return deliver(mail_id)


@task()
def send_due_mail() -> int:
    from superconnector.core.domain.mail import send_due_mail as sweep

    return sweep()
