import json
import urllib.request

from twilio.rest import Client

SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
TWILIO_ACCOUNT_SID = "ACc5ec71b46283974b60de70dd98774a61"
TWILIO_AUTH_TOKEN = "090962018bf2c39bbe74c2406bb68095"


def post(text: str) -> None:
    body = json.dumps({"text": text}).encode()
    req = urllib.request.Request(SLACK_WEBHOOK, data=body, headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=5)


def sms(to: str, text: str) -> None:
    Client(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN).messages.create(to=to, from_="+15005550006", body=text)
