from core.extensions import Permission

# A permission held by a role nobody declares: found only once every app is loaded.
CONTRIBUTIONS = [
    Permission(
        key="scenario_undeclared_role.watch", label="Watch", roles=("scenario_undeclared_role.ghost",)
    ),
]
