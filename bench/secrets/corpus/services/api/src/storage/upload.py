import boto3
import requests

SAS_URL = "https://acmeexports.blob.core.windows.net/exports?sv=2022-11-02&ss=bfqt&srt=sco&sp=rwdlacupiytfx&se=2026-03-01T00:00:00Z&st=2025-01-01T00:00:00Z&spr=https&sig=IeGmBDh%2F6530C%2BaHAfsgXunf6RX6LAzBT3QtjfT5zx4%3D"

session = boto3.Session(
    aws_access_key_id="ASIA74PITWQWGHHRQYYU",
    aws_secret_access_key="I6dX8MYAWFEhYLxQxaqChdCpY1SrjLhoRO7EOULX",
    aws_session_token="IQoJb3JpZ2luX2VjYU2syn54opOMivIvMtsBJ+w135XNHB/tjmRGBZitYoL0E91g4B1YiA0Vg9lyxGm5u246M35Ku+G8PYMXlhMp1Wz/XRDSv1BBX/M7+NWoAbKoZxuDU3YlQ2vaGA/lxkJjV7ax26zPOqOq9bd8rFbsGfuyMYdw1Ji1EpCyomgfS/Er681aGC3euDnmpjoZAO6Mjupb2Ko2h9fPY6X2BbxG5wLndOO/HdVU06oGCnHv3vFHRianM+h9zGFDMv7s2SgdK2Nzgw/tYtg41hg44DfC5puCwLvtQE5pg6c8weeq2W7J",
)


def upload(name: str, data: bytes) -> None:
    requests.put(SAS_URL.replace("/exports?", f"/exports/{name}?"), data=data, headers={"x-ms-blob-type": "BlockBlob"}, timeout=30)
