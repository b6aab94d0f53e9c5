"""The HRD referral intake service: rules, case store, access, console, channels, CLI."""
