"""Consumers of refund events."""
import json
import logging

log = logging.getLogger(__name__)


def handle_refund_created(body: bytes) -> None:
    event = json.loads(body)
    log.info("refund created", extra={"id": event["id"], "trace": event.get("trace_id")})


def handle_refund_deleted(body: bytes) -> None:
    event = json.loads(body)
    log.info("refund deleted", extra={"id": event["id"]})
