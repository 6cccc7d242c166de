"""Consumers of cart events."""
import json
import logging

log = logging.getLogger(__name__)


def handle_cart_created(body: bytes) -> None:
    event = json.loads(body)
    log.info("cart created", extra={"id": event["id"], "trace": event.get("trace_id")})


def handle_cart_deleted(body: bytes) -> None:
    event = json.loads(body)
    log.info("cart deleted", extra={"id": event["id"]})
