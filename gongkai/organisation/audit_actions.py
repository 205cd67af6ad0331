"""The audit actions of accounts (see gongkai.audit.registry)."""

from gongkai.audit import registry
from gongkai.organisation import services

registry.register_many(
    {
        services.SIGNIN: "登录",
        services.SIGNIN_FAILED: "登录失败",
        services.SIGNIN_LOCKOUT: "登录锁定",
        services.SIGNIN_UNLOCK: "解除登录锁定",
        services.SIGNOUT: "退出登录",
        services.PASSWORD_CHANGE: "修改密码",
        services.ROLES_CHANGE: "变更角色",
    }
)
