"""A stand-in for the government approval platform (一体化政务服务平台), for the demo and the tests.

An applicant side (login, "我的申请" with search, the food licence renewal and subsidy disbursement wizards)
and an approver side (the 待审核 queue, approve or return), in two layouts, with injectable faults.
Its own SQLite file; nothing is shared with the agent's store. See README.md for the label table.

    app.create_app(PlatformSettings(db_path=...))    # the FastAPI app
    with server.serving(settings) as base_url: ...   # uvicorn on a free loopback port in a thread
    process.platform_process(db_path)                # its own process, as below
    python -m sandbox.platform --port 0 --db PATH    # prints "platform listening on http://127.0.0.1:PORT"

The package imports none of them: the process launcher is wanted where the app and its FastAPI are not (the
demo's command line).
"""
