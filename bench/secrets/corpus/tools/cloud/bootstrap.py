import os

import digitalocean
from databricks.sdk import WorkspaceClient

DO_TOKEN = "dop_v1_d8fdca8d84746371f0d51b48a16886e669653252163ba19aff07324c0f370cd4"
DATABRICKS_TOKEN = "dapi462501f8bab40584d82d12085897b489"
os.environ["DOPPLER_TOKEN"] = "dp.pt.ZiPI2h9w3N3hlNySISPRHrti7WG5NXdN9bSfwghARN4"
VAULT_TOKEN = "hvs.g2isL5d9d3la55fW4xqdBDg91giq0nY2H8mh3aHgFvPUANlQnQKfydi5a6M682pCQdJhq0L38s6f6tWptl646LtnBu"
NETLIFY_AUTH_TOKEN = "nfp_CPVihid929VYysUTUiqwlz7Ih62xYHGEHq9c"
OKTA_ORG_URL = "https://acme.okta.com"
OKTA_API_TOKEN = "00IR5z6zxQLnuDQu-cEHDINpeHBHZmlacUCmM1nRmT"


def droplets():
    return digitalocean.Manager(token=DO_TOKEN).get_all_droplets()


def workspace():
    return WorkspaceClient(host="https://adb-1234567890123456.7.azuredatabricks.net", token=DATABRICKS_TOKEN)
