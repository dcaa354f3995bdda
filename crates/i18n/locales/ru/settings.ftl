## Консоль: организация, ключи API, вебхуки (web-settings-…).
web-settings-role-refused = Ваша роль этого не позволяет. Обратитесь к администратору организации.
web-settings-failed-title = Не выполнено
web-settings-actions = Действия
web-settings-done = Готово
web-settings-never = Ни разу
web-settings-secret-once = Скопируйте секрет сейчас. Он показывается только один раз и не хранится в читаемом виде: если он утерян, замените ключ или выпустите новый.

web-settings-org-title = Организация
web-settings-record-title = Регистрационные сведения
web-settings-org-name = Наименование
web-settings-org-kind = Вид
web-settings-kind = { $kind ->
    [owner] Собственник базы, содержащей персональные данные
    [operator] Оператор базы, содержащей персональные данные
    [third_party] Третье лицо
   *[other] { $kind }
}
web-settings-org-registered = Зарегистрирована в сервисе

web-settings-dpo-title = Лицо, ответственное за организацию обработки персональных данных
web-settings-dpo-intro = Юридическое лицо назначает такое лицо (подпункт 10) пункта 2 статьи 25 Закона). Оно осуществляет внутренний контроль за соблюдением законодательства, доводит его положения до работников и контролирует прием и обработку обращений субъектов (пункт 3 статьи 25); его контактные данные сообщаются уполномоченному органу при нарушении безопасности персональных данных.
web-settings-dpo-name = Фамилия, имя, отчество
web-settings-dpo-phone = Телефон
web-settings-dpo-email = Электронная почта
web-settings-dpo-change-title = Назначить другое лицо или изменить контакты
web-settings-dpo-contact-hint = Телефон (в виде +77011234567), электронная почта или оба: хотя бы один.
web-settings-dpo-save = Сохранить
web-settings-dpo-read-only = Изменить это может только администратор организации.
web-settings-dpo-contact-required = Укажите телефон или электронную почту ответственного лица.
web-settings-invalid-dpo-name = Укажите имя лица (до 200 символов).

web-settings-policy-title = Политика в отношении сбора, обработки и защиты персональных данных
web-settings-policy-intro = Документы, определяющие политику оператора в отношении сбора, обработки и защиты персональных данных (подпункт 1-1) пункта 2 статьи 25 Закона). Каждое утверждение — новая редакция; прежние редакции сохраняются.
web-settings-policy-none = Документ о политике ещё не записан.
web-settings-policy-caption = Редакции документа о политике, сначала новые
web-settings-policy-version = Редакция
web-settings-policy-current = действующая
web-settings-policy-doc-title = Название
web-settings-policy-adopted-on = Дата утверждения
web-settings-policy-document = Документ
web-settings-policy-open = Опубликованный документ
web-settings-policy-text = Текст
web-settings-policy-sha256 = SHA-256
web-settings-policy-recorded = Записано
web-settings-policy-adopt-title = Утвердить новую редакцию
web-settings-policy-url = Адрес публикации (https)
web-settings-policy-url-hint = Необязателен, если приведён текст. Только адреса https://.
web-settings-policy-text-hint = Необязателен, если указан адрес; не более { $max } КиБ. SHA-256 вычисляется по нему.
web-settings-policy-sha256-hint = SHA-256 опубликованного файла (64 шестнадцатеричные цифры). Обязателен, если указан только адрес.
web-settings-policy-adopt = Утвердить редакцию
web-settings-policy-read-only = Утвердить новую редакцию может только администратор организации или лицо, ответственное за организацию обработки.
web-settings-invalid-title = Укажите название (до 300 символов).
web-settings-invalid-adopted-on = Укажите дату утверждения: не в будущем и не раньше 21.05.2013, даты принятия Закона.
web-settings-invalid-policy-url = Адрес должен начинаться с https:// и указывать сайт.
web-settings-invalid-text = Приведите текст или адрес. Текст — не более { $max } КиБ.
web-settings-invalid-sha256 = SHA-256 — это 64 шестнадцатеричные цифры; при наличии текста он должен ему соответствовать. Без текста он обязателен.
web-settings-adopted-before-previous = Новая редакция не может быть утверждена раньше действующей ({ $date }).

web-settings-keys-title = Ключи API
web-settings-keys-intro = Ключи позволяют системам организации обращаться к API Qorgau. У каждого ключа есть области доступа; секрет показывается один раз — при выпуске или замене ключа.
web-settings-keys-caption = Ключи API организации
web-settings-keys-none = У организации ещё нет ключей API.
web-settings-key-label = Метка
web-settings-key-scopes = Области доступа
web-settings-key-created = Выпущен
web-settings-key-last-used = Последнее использование
web-settings-key-active = Действует
web-settings-key-revoked = Отозван
web-settings-key-ended = Прекращён после замены
web-settings-key-ends = Действует до { $time }
web-settings-key-rotate = Заменить
web-settings-key-revoke = Отозвать
web-settings-key-issue-title = Выпустить ключ
web-settings-key-issue = Выпустить ключ
web-settings-key-scopes-required = Выберите хотя бы одну область доступа.
web-settings-invalid-label = Укажите метку (до 200 символов).
web-settings-key-issued-title = Ключ выпущен
web-settings-key-rotated-title = Ключ заменён
web-settings-key-secret = Ключ
web-settings-key-usage = Передавайте его в каждом запросе: Authorization: Bearer и затем ключ.
web-settings-scope = { $scope ->
    [catalogue-write] Цели и перечни (catalogue:write)
    [consents-read] Чтение согласий (consents:read)
    [consents-write] Запрос согласий (consents:write)
    [decisions] Решения о доступе (decisions)
    [ledger-read] Журнал (ledger:read)
    [events] События и вебхуки (events)
    [requests] Обращения субъектов (requests)
   *[other] { $scope }
}
web-settings-rotate-title = Замена ключа
web-settings-rotate-confirm = Выпустить новый ключ вместо «{ $label }» с теми же областями доступа?
web-settings-rotate-grace = Старый ключ продолжает действовать
web-settings-grace = { $seconds ->
    [0] нет: прекращается сейчас
    [3600] 1 час
    [86400] 1 сутки
    [604800] 7 суток
   *[other] { $seconds } с
}
web-settings-revoke-title = Отзыв ключа
web-settings-revoke-confirm = Отозвать ключ «{ $label }»?
web-settings-revoke-effect = Он сразу перестанет действовать; системам, которые его используют, будет отказано. Отменить это нельзя.
web-settings-revoke-yes = Да, отозвать

web-settings-webhooks-title = Вебхуки
web-settings-webhooks-intro = Qorgau сообщает системам организации о согласиях и обращениях подписанными HTTP-запросами (Standard Webhooks). Секрет подписи показывается один раз — при регистрации адреса.
web-settings-webhooks-caption = Адреса вебхуков организации
web-settings-webhooks-none = Адреса не зарегистрированы.
web-settings-webhook-url = Адрес
web-settings-webhook-url-hint = Адрес, на который отправляются события (рекомендуется https://).
web-settings-webhook-events = События
web-settings-events-all = Все события
web-settings-event = { $event ->
    [consent-confirmed] Согласие дано
    [consent-refused] В согласии отказано
    [consent-withdrawn] Согласие отозвано
    [consent-expired] Срок согласия истёк
    [consent-superseded] Согласие заменено новой редакцией
    [request-filed] Обращение получено
    [request-overdue] Обращение просрочено
   *[other] { $event }
}
web-settings-webhook-created = Зарегистрирован
web-settings-webhook-live = Действует
web-settings-webhook-disabled = Отключён
web-settings-webhook-register-title = Зарегистрировать адрес
web-settings-webhook-register = Зарегистрировать
web-settings-webhook-events-required = Выберите хотя бы одно событие.
web-settings-invalid-webhook-url = Укажите адрес http:// или https:// с именем узла и без пробелов.
web-settings-webhook-too-many = У организации уже наибольшее допустимое число адресов. Сначала отключите один.
web-settings-webhook-registered-title = Адрес зарегистрирован
web-settings-webhook-secret = Секрет подписи
web-settings-webhook-secret-usage = Проверяйте этим секретом заголовок webhook-signature каждого запроса (HMAC-SHA256 от webhook-id, webhook-timestamp и тела).
web-settings-webhook-title = Адрес вебхука
web-settings-webhook-disable = Отключить
web-settings-deliveries-title = Последние доставки
web-settings-deliveries-caption = Последние доставки на этот адрес, сначала новые
web-settings-deliveries-none = Сюда ещё ничего не отправлялось.
web-settings-delivery-event = Событие
web-settings-delivery-created = Поставлено в очередь
web-settings-delivery-attempts = Попытки
web-settings-delivery-last-error = Последняя ошибка
web-settings-delivery-status = { $status ->
    [queued] Ожидает отправки
    [delivered] Доставлено
    [failed] Не доставлено
   *[other] { $status }
}
web-settings-disable-title = Отключение адреса
web-settings-disable-confirm = Прекратить отправку событий на этот адрес?
web-settings-disable-effect = Всё, что ещё ждёт отправки туда, будет отмечено как недоставленное. Отменить это нельзя; чтобы возобновить, зарегистрируйте адрес снова.
web-settings-disable-yes = Да, отключить
