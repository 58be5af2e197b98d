"""The words the demo Q&A is made of: categories, tags, title and paragraph templates, comments
and hand-written FAQ entries (``forum/demo.py`` combines them)."""

CATEGORIES = [
    ("getting-started", "Getting started", "Accounts, sign-in and first steps."),
    ("billing", "Billing & plans", "Invoices, payment methods, plans and refunds."),
    ("integrations", "Integrations & API", "REST API, webhooks, SSO and third-party apps."),
    ("mobile", "Mobile app", "The iOS and Android apps."),
    ("reporting", "Reports & exports", "Dashboards, reports, CSV and PDF exports."),
    ("admin", "Administration", "Users, roles, permissions and security settings."),
    ("troubleshooting", "Troubleshooting", "Errors, performance and things that break."),
    ("ambassador-lounge", "Ambassador lounge", "Early previews and feedback, ambassadors only."),
]
TAGS = [
    "billing",
    "api",
    "mobile-app",
    "integrations",
    "security",
    "reporting",
    "sso",
    "webhooks",
    "import-export",
    "performance",
    "notifications",
    "permissions",
    "invoices",
    "android",
    "ios",
    "csv",
    "dashboard",
    "login",
    "oauth",
    "errors",
]
CATEGORY_TAGS = {
    "getting-started": ["login", "security", "notifications"],
    "billing": ["billing", "invoices"],
    "integrations": ["api", "webhooks", "sso", "oauth", "integrations"],
    "mobile": ["mobile-app", "android", "ios", "notifications"],
    "reporting": ["reporting", "csv", "dashboard", "import-export"],
    "admin": ["permissions", "security", "sso"],
    "troubleshooting": ["errors", "performance", "api", "login"],
    "ambassador-lounge": ["dashboard", "performance"],
}
OBJECTS = {
    "getting-started": ["my account", "two-factor login", "the welcome e-mail", "my profile"],
    "billing": ["an invoice", "the VAT number", "my payment card", "the annual plan"],
    "integrations": ["the REST API token", "a webhook", "Okta SSO", "the Slack integration"],
    "mobile": ["the Android app", "the iPhone app", "push notifications", "offline mode"],
    "reporting": ["the monthly report", "a CSV export", "the sales dashboard", "PDF exports"],
    "admin": ["user roles", "an admin account", "audit logs", "guest access"],
    "troubleshooting": ["the sync job", "page loading", "file uploads", "search results"],
    "ambassador-lounge": ["the new dashboard beta", "the preview build"],
}
TITLES = [
    "How do I set up {obj}?",
    "Where can I change {obj}?",
    "{Obj} stopped working after the update",
    "Is it possible to automate {obj}?",
    "Why is {obj} so slow?",
    "Error 500 when I open {obj}",
    "Can guests see {obj}?",
    "Best practice for {obj} in a large team?",
    "{Obj} shows the wrong data",
    "How to migrate {obj} from the old plan?",
]
RU_TITLES = [
    "Ошибка при настройке: {ru}",
    "Как изменить {ru}?",
    "Не работает {ru} после обновления",
    "Где найти {ru}?",
    "Почему {ru} работает медленно?",
]
RU_OBJECTS = [
    "счёт на оплату",
    "мобильное приложение",
    "выгрузку в CSV",
    "вход через SSO",
    "уведомления",
    "права доступа",
    "отчёт за месяц",
    "интеграцию с API",
]
Q_PARAGRAPHS = [
    "I followed the help article step by step, but {obj} still does not behave as described.",
    "We are a team of about {n} people and everyone sees the same problem with {obj}.",
    "This started on {day}; nothing changed on our side as far as I know.",
    "Here is what I tried:\n\n1. Logged out and in again\n2. Cleared the cache\n3. Tried "
    "another browser",
    "The error message says `Request failed with status 500`.",
    "Is there a setting I am missing, or is this a known issue?",
    "Any pointers would be appreciated — our month-end close depends on {obj}.",
]
A_PARAGRAPHS = [
    "Go to **Settings → {section}** and switch on the option at the bottom of the page.",
    "This is a known issue in version 4.{n}; it is fixed in the next release.",
    "You need the *Admin* role for that. Ask an administrator of your workspace to grant it.",
    'Try the API instead:\n\n```\ncurl -H "Authorization: Bearer $TOKEN" '
    "https://api.example.com/v2/exports\n```",
    "We had the same problem with {obj}. Re-connecting the integration fixed it for us.",
    "See the documentation: [Managing {section}](https://docs.example.com/{slug}).",
    "Clearing the browser cache and signing in again solved it here.",
    "Check the time zone in your profile — reports use it for the date boundaries.",
]
RU_PARAGRAPHS = [
    "Появляется ошибка, когда я открываю {ru}. Что я делаю не так?",
    "Проверьте настройки в разделе «{section}» — там есть нужный переключатель.",
    "У нас была такая же проблема, помогло повторное подключение интеграции.",
]
COMMENTS = [
    "Which version are you on?",
    "Thanks, that worked!",
    "Same here.",
    "Could you share a screenshot?",
    "This fixed it for me too.",
    "Did you try another browser?",
    "Спасибо, помогло!",
    "+1, we see this too.",
]
SECTIONS = ["Billing", "Integrations", "Notifications", "Security", "Reports", "Users"]
FAQ = [
    (
        "getting-started",
        "How do I reset my password?",
        "Use **Forgot password** on the sign-in page; the link is valid for one hour.",
    ),
    (
        "getting-started",
        "How do I turn on two-factor authentication?",
        "Open **Profile → Security** and scan the QR code with an authenticator app.",
    ),
    (
        "billing",
        "How do I download an invoice?",
        "Go to **Settings → Billing → Invoices** and press *Download PDF* next to the invoice.",
    ),
    (
        "billing",
        "Can I change my plan mid-cycle?",
        "Yes. Upgrades apply at once and are prorated; downgrades apply at the next renewal.",
    ),
    (
        "billing",
        "Как добавить реквизиты компании в счёт?",
        "Откройте **Настройки → Оплата** и заполните поля «Компания» и «ИНН».",
    ),
    (
        "integrations",
        "Where do I find my API token?",
        "Under **Settings → Integrations → API**. Tokens are shown once; store them safely.",
    ),
    (
        "integrations",
        "Why are my webhooks not delivered?",
        "Webhooks are retried five times with back-off. Check the delivery log for the status.",
    ),
    (
        "mobile",
        "Why don't I get push notifications?",
        "Allow notifications for the app in your phone's settings and sign in again.",
    ),
    (
        "reporting",
        "How do I export a report to CSV?",
        "Open the report, press **Export** and choose CSV. Large exports arrive by e-mail.",
    ),
    (
        "admin",
        "How do I give someone admin rights?",
        "In **Users**, open the member and choose the *Admin* role.",
    ),
    (
        "troubleshooting",
        "The app is slow. What can I check?",
        "Check the status page first, then try a private window to rule out extensions.",
    ),
    (
        "troubleshooting",
        "Что делать, если появляется ошибка 500?",
        "Обновите страницу через минуту. Если ошибка повторяется, напишите нам с временем ошибки.",
    ),
]
