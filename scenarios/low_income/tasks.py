from celery import shared_task

from scenarios.low_income.services import rules_run


@shared_task(name="low_income.run_rules")
def run_rules_task() -> dict:
    """Daily (and after new records): the rules over every record where the scenario is enabled."""
    return rules_run()
