"""Consumers of customer events."""
import json
import logging

log = logging.getLogger(__name__)


def handle_customer_created(body: bytes) -> None:
    event = json.loads(body)
    log.info("customer created", extra={"id": event["id"], "trace": event.get("trace_id")})


def handle_customer_deleted(body: bytes) -> None:
    event = json.loads(body)
    log.info("customer deleted", extra={"id": event["id"]})
