"""Consumers of warehouse events."""
import json
import logging

log = logging.getLogger(__name__)


def handle_warehouse_created(body: bytes) -> None:
    event = json.loads(body)
    log.info("warehouse created", extra={"id": event["id"], "trace": event.get("trace_id")})


def handle_warehouse_deleted(body: bytes) -> None:
    event = json.loads(body)
    log.info("warehouse deleted", extra={"id": event["id"]})
