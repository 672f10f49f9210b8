from core.accounts.roles import Role
from core.extensions import Permission

CONTRIBUTIONS = [
    Permission(key="sample_scenario.view", label="See the sample scenario", roles=(Role.COMMUNITY_WORKER,)),
]
