"""The message catalogue: logging in and one's own account."""

# key -> (zh-CN, English)
MESSAGES: dict[str, tuple[str, str]] = {
    # Log-in
    "login.form": ("登录", "Log in"),
    "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Log in"),
    "login.failed": ("用户名或密码不正确。", "Wrong username or password."),
    "login.welcome": ("登录成功，正在进入……", "Logged in, opening the portal…"),
    "login.intro": (
        "市、镇（街道）、村（社区）三级为民服务全程代理工作平台。",
        "The shared workspace of the city, township and village service agents.",
    ),
    # Accounts
    "page.account": ("我的账户", "My account"),
    "login.locked": ("登录失败次数过多，账户已锁定至 {until}，请稍后再试或联系管理员。",
                     "Too many failed log-ins: the account is locked until {until}. Try again "
                     "later or ask an admin."),
    "login.session_ended": ("您的登录已失效（密码已更改或重置、账户已停用，或被管理员强制下线），"
                            "请重新登录。",
                            "Your session was ended (password changed or reset, account "
                            "deactivated, or ended by an admin). Please log in again."),
    "login.session_expired": ("长时间未操作或登录已超过 24 小时，已自动退出，请重新登录。",
                              "You were logged out after a while without activity, or a day "
                              "after logging in. Please log in again."),
    "login.logged_out": ("您已退出登录。", "You have logged out."),
    "login.provider": ("使用统一身份认证登录", "Log in with the city's identity provider"),
    "login.admins_only": ("下面的本地账户登录仅供系统管理员应急使用。",
                          "The local log-in below is for admins only, as a fallback."),
    "login.demo_password": ("这是公开的演示密码，正式环境中不能用它登录。请联系管理员重置密码。",
                            "That is the published demo password, which cannot sign in here. "
                            "Ask an admin to reset your password."),
    "login.provider_only": ("请使用统一身份认证登录。", "Please log in with the identity provider."),
    "login.provider_unknown": ("统一身份认证已通过，但该账号未关联本平台用户，请联系管理员。",
                               "The identity provider signed you in, but that account is not "
                               "linked to a portal user. Ask an admin."),
    "login.provider_missing": ("已启用统一身份认证，但服务器未配置 "
                               "[auth]（.streamlit/secrets.toml）。",
                               "The identity provider is switched on but [auth] is not "
                               "configured in .streamlit/secrets.toml."),
    "users.external_id": ("统一身份认证账号", "Identity-provider account"),
    "users.external_id_help": ("该用户在统一身份认证中的邮箱或标识（sub），用于单点登录；可留空。",
                               "The user's e-mail or subject (sub) at the city's identity "
                               "provider, for single sign-on; may be empty."),
    "users.field.external_id": ("统一身份认证账号", "Identity-provider account"),
    "users.error.external_id_taken": ("该统一身份认证账号已关联其他用户。",
                                      "That identity-provider account is linked to another user."),
    "settings.identity_provider": ("使用统一身份认证（OIDC）登录",
                                   "Sign in through the identity provider (OIDC)"),
    "settings.identity_provider.help": ("开启后以城市统一身份认证登录（在 .streamlit/secrets.toml "
                                        "的 [auth] 中配置），本地密码仅管理员保留。",
                                        "On: users sign in through the city's identity "
                                        "provider (configured under [auth] in "
                                        ".streamlit/secrets.toml); only admins keep local "
                                        "passwords."),
    "settings.public_base_url": ("公众访问地址", "Public address"),
    "settings.public_base_url.help": (
        "群众从外网访问本平台的地址，如 https://zwfw.laixi.gov.cn。回执上的进度查询网址和二维码"
        "由它生成。",
        "The address citizens reach the portal at from outside, e.g. "
        "https://zwfw.laixi.gov.cn. The receipt's status link and QR code are built on it."),
    "account.language_kept": ("界面语言随账号保存，下次登录和其他电脑上同样生效。",
                              "The language is kept with your account: it opens your next "
                              "sessions, on any computer."),
    "account.must_change": ("管理员已重置您的密码，请先设置新密码后再继续。",
                            "An admin reset your password: choose a new one before going on."),
    "account.change_password": ("修改密码", "Change password"),
    "account.current": ("当前密码", "Current password"),
    "account.new": ("新密码", "New password"),
    "account.repeat": ("再次输入新密码", "New password again"),
    "account.rules": ("至少 {n} 位，最多 72 字节；不能是常见密码、连续或重复字符，也不能包含用户名。",
                      "At least {n} characters and at most 72 bytes; not a common password, a "
                      "run or repeat of characters, nor containing the username."),
    "account.save": ("保存新密码", "Save new password"),
    "account.changed": ("密码已修改，您在其他设备上的登录已失效。",
                        "Password changed; your sessions elsewhere have been ended."),
    "password.error.too_long": ("密码不能超过 72 字节（约 24 个汉字）。",
                                "A password may be at most 72 bytes long (about 24 Chinese "
                                "characters)."),
    "password.error.too_short": ("密码太短。", "The password is too short."),
    "password.error.trivial": ("密码过于简单，请换一个。", "That password is too easy to guess."),
    "password.error.same": ("新密码不能与当前密码相同。",
                            "The new password must differ from the current one."),
    "password.error.current": ("当前密码不正确。", "The current password is wrong."),
    "password.error.repeat": ("两次输入的新密码不一致。", "The two new passwords differ."),
}
