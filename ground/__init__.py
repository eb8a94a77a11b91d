"""The ground floor: what every other layer stands on — the store and its migrations, settings, the working-day
calendar, the case lifecycle (the one owner of a case's state), the shared enums and the browser launcher. It
imports nothing of ours."""
