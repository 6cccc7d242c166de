from anthropic import Anthropic
from openai import OpenAI

openai_client = OpenAI(api_key="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")
claude = Anthropic(api_key="sk-ant-api03-g_B_9NdTq-L4nkQzDVwuYHnZADWWrXQF_h1MxiFVenWL_IqkLTjbmS5GY-Q-MJXivxeypLiRDotHkqnTg5gwCYbHlsZ63AA")

MODEL = "gpt-4o-mini"


def summarize(text: str) -> str:
    out = openai_client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": text}])
    return out.choices[0].message.content or ""
