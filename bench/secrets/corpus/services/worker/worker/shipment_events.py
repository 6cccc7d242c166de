"""Consumers of shipment events."""
import json
import logging

log = logging.getLogger(__name__)


def handle_shipment_created(body: bytes) -> None:
    event = json.loads(body)
    log.info("shipment created", extra={"id": event["id"], "trace": event.get("trace_id")})


def handle_shipment_deleted(body: bytes) -> None:
    event = json.loads(body)
    log.info("shipment deleted", extra={"id": event["id"]})
