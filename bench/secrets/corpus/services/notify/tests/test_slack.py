from unittest import mock

from notify import slack

FAKE_WEBHOOK = "https://hooks.slack.invalid/services/T000/B000/fake"
FAKE_TOKEN = "not-a-real-token"


def test_post_sends_json():
    with mock.patch("urllib.request.urlopen") as urlopen, mock.patch.object(slack, "SLACK_WEBHOOK", FAKE_WEBHOOK):
        slack.post("hello")
    request = urlopen.call_args.args[0]
    assert request.full_url == FAKE_WEBHOOK
