"""How the processes of `make run` start (scripts/run.sh): the Rasa server
(`python -m bot.runtime.rasa_server`) and the action server (`python -m
bot.runtime.action_server`), on HRD_BIND_HOST (127.0.0.1 by default), with no secret on a
command line: RASA_API_TOKEN and the action server's shared secret come from the
environment or from files in HRD_DATA_DIR. `python -m bot.runtime.preflight` checks the
settings before anything starts."""
