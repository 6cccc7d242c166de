"""Consumers of invoice events."""
import json
import logging

log = logging.getLogger(__name__)


def handle_invoice_created(body: bytes) -> None:
    event = json.loads(body)
    log.info("invoice created", extra={"id": event["id"], "trace": event.get("trace_id")})


def handle_invoice_deleted(body: bytes) -> None:
    event = json.loads(body)
    log.info("invoice deleted", extra={"id": event["id"]})
