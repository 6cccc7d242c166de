"""Consumers of order events."""
import json
import logging

log = logging.getLogger(__name__)


def handle_order_created(body: bytes) -> None:
    event = json.loads(body)
    log.info("order created", extra={"id": event["id"], "trace": event.get("trace_id")})


def handle_order_deleted(body: bytes) -> None:
    event = json.loads(body)
    log.info("order deleted", extra={"id": event["id"]})
