"""A Twilio-compatible SMS gateway on loopback, for the demo and the tests: the official twilio library sends to it
(`client.api.base_url = url`), and it answers as Twilio's Messages API does, errors and slowness included, follows
the published contract (../shared/data/twilio/), delivers in the background with signed status callbacks, and posts
inbound replies to a webhook. Its own SQLite file. See README.md.

    app.create_app(GatewaySettings(db_path=..., account_sid="AC…", auth_token="…"))   # the FastAPI app
    with server.serving(settings) as base_url: ...                                    # uvicorn in a thread
    with process.gateway_process(db_path, "--slow-ms", "50") as base_url: ...         # its own process

The package imports none of them: the process launcher is wanted where the app and its FastAPI are not (the
demo's command line).
"""
