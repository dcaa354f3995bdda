## Веб-портал и консоль (web-…).
web-product = Qorgau
web-skip-to-content = Перейти к содержанию
web-nav-label = Главное меню
web-nav-home = Главная
web-nav-consents = Мои согласия
web-nav-history = Кто что делал с моими данными
web-nav-requests = Мои обращения
web-nav-inbox = Уведомления
web-nav-queue = Обращения
web-nav-purposes = Цели и перечни
web-nav-org-consents = Согласия
web-nav-organization = Организация
web-nav-keys = Ключи API
web-nav-webhooks = Вебхуки
web-nav-organizations = Организации
web-nav-overdue = Просроченные обращения
web-nav-ledger = Журнал и доказательства
web-language = Язык
web-sign-out = Выйти
web-footer = Qorgau — контроль доступа к персональным данным по Закону № 94-V «О персональных данных и их защите».
web-datetime = { $day }.{ $month }.{ $year }, { $hour }:{ $minute }
web-date = { $day }.{ $month }.{ $year }
web-yes = Да
web-no = Нет
web-all = Все
web-apply = Показать
web-save = Сохранить
web-back = Назад
web-cancel = Отмена
web-continue = Продолжить
web-service = Qorgau
web-iin = ИИН
web-bin = БИН
web-state = Состояние
web-organization = Организация
web-action = Действие
web-subject = Субъект персональных данных
web-forbidden-title = Действие не разрешено
web-forbidden-text = Форма устарела или отправлена не с этого сайта. Откройте страницу заново и повторите.
web-not-found-title = Не найдено
web-not-found-text = Здесь нет ничего, что вам доступно.
web-failure-title = Сервис недоступен
web-failure-text = На нашей стороне произошла ошибка. Ничего не изменено. Повторите через минуту.
web-sign-in-title = Вход
web-sign-in-intro = Введите ИИН. Мы отправим одноразовый код на телефон или электронную почту, подтверждённые вами у организации.
web-send-code = Получить код
web-code-sent = Если этот ИИН известен сервису, 6-значный код уже отправлен. Он действует 5 минут.
web-code = Код
web-sign-in = Войти
web-start-again = Начать заново
web-totp-intro = Введите код из приложения-аутентификатора или один из резервных кодов.
web-totp-code = Код
web-home-title = Мои персональные данные
web-pending-title = Запросы вашего согласия
web-pending-none = Ни одна организация не ждёт вашего согласия.
web-summary-title = Коротко
web-active-count = { $count ->
    [one] Действует { $count } согласие.
    [few] Действуют { $count } согласия.
   *[many] Действуют { $count } согласий.
}
web-consents-title = Мои согласия
web-consents-none = Нет согласий для показа.
web-filter-state = Состояние
web-consent-state = { $state ->
    [pending] Ждёт вашего ответа
    [active] Действует
    [refused] Отказано
    [lapsed] Нет ответа в срок
    [withdrawn] Отозвано
    [expired] Срок истёк
    [superseded] Заменено новой версией
   *[other] { $state }
}
web-valid-until = Действует до { $date }
web-consent-title = Согласие на сбор и обработку персональных данных
web-term-operator = Кто запрашивает (собственник или оператор)
web-term-purpose = Цель обработки
web-term-period = Срок согласия
web-term-from-until = с { $from } до { $until }
web-from-confirmation = момента, когда вы его дадите
web-term-data = Собираемые персональные данные
web-term-transfer = Передача третьим лицам
web-term-cross-border = Трансграничная передача
web-term-public = Распространение в общедоступных источниках
web-term-storage = Срок хранения для этой цели
web-term-other = Иные сведения
web-term-representative = Законный представитель
web-days = { $count ->
    [one] { $count } день
    [few] { $count } дня
   *[many] { $count } дней
}
web-withdrawal-refused-title = В отзыве согласия отказано
web-withdrawal-ground = Организация ссылается на: { $reference }
web-answer-title = Ваш ответ
web-answer-by = Ответьте до { $date }.
web-consent-code = Код из сообщения об этом запросе
web-confirm = Дать согласие
web-refuse = Отказать
web-download-receipt = Скачать подписанную квитанцию
web-withdraw = Отозвать согласие
web-consent-history = Что происходило с согласием
web-consent-event = { $event ->
    [requested] Запрошено организацией
    [code_sent] Код отправлен
    [confirmed] Согласие дано
    [refused] В согласии отказано
    [withdrawn] Согласие отозвано
    [withdrawal_refused] Организация отказала в отзыве
    [withdrawal_ground_stated] Организация указала основание для отказа в отзыве
    [expired] Срок истёк
    [lapsed] Нет ответа в срок
    [superseded] Заменено новой версией
   *[other] Изменено
}
web-withdraw-title = Отзыв согласия
web-withdraw-confirm = Отозвать ваше согласие для «{ $organization }» на цель «{ $purpose }»?
web-withdraw-effect = С этого момента организация не вправе обрабатывать ваши данные на основании этого согласия, если закон не допускает этого по иному основанию.
web-withdraw-yes = Да, отозвать
web-history-title = Кто что делал с моими данными
web-history-intro = Все действия с вашими персональными данными, записанные в сервисе, сначала новые. У каждой записи есть доказательство, что она в защищённом от подделки журнале.
web-history-none = По этому выбору записей нет.
web-period-from = С
web-period-to = По
web-proof = доказательство № { $index }
web-entry-processing = { $action } ваши персональные данные
web-entry-decision = запрос доступа к вашим данным ({ $action }): { $outcome ->
    [allow] разрешён
   *[deny] отказан
}
web-entry-kind = { $kind ->
    [consent-requested] запросила ваше согласие
    [consent-code_sent] отправила вам код согласия
    [consent-confirmed] вы дали согласие
    [consent-refused] вы отказали в согласии
    [consent-withdrawn] вы отозвали согласие
    [consent-withdrawal_refused] отказала в отзыве согласия
    [consent-withdrawal_ground_stated] указала основание для отказа в отзыве
    [consent-expired] срок согласия истёк
    [consent-lapsed] на запрос согласия не ответили в срок
    [consent-superseded] согласие заменено новой версией
    [request-filed] ваше обращение получено
    [request-assigned] ваше обращение передано исполнителю
    [request-completed] на ваше обращение дан ответ
    [request-refused] в вашем обращении отказано
    [request-overdue] срок ответа на обращение истёк
    [notification-sent] вам отправлено уведомление
    [signin-failed] неудачная попытка входа
    [signin-locked] вход временно заблокирован
    [session-started] вы вошли
    [session-ended] вы вышли
   *[other] запись о вас
}
web-requests-title = Мои обращения
web-requests-none = Вы ещё не подавали обращений.
web-file-request = Подать обращение
web-request-intro = Спросите организацию об обработке ваших данных или потребуйте изменить, дополнить, заблокировать, разблокировать или уничтожить их. Ответ обязателен в установленный законом срок в рабочих днях.
web-organization-bin = БИН организации
web-request-kind = Что вы просите
web-request-text = Ваш текст (обязателен для изменения или дополнения)
web-file = Подать обращение
web-request-title = Обращение
web-request-state = { $state ->
    [open] Открыто
    [completed] Дан ответ
    [refused] Отказано
   *[other] { $state }
}
web-overdue = Просрочено
web-answered-late = Ответ с опозданием
web-due = Ответ до { $date }
web-due-by = Срок ответа
web-received = Получено
web-working-days = { $count ->
    [one] { $count } рабочий день
    [few] { $count } рабочих дня
   *[many] { $count } рабочих дней
}
web-answer = Ответ организации
web-refusal-reason = Причина отказа
web-destroyed-instead = Данные нельзя было изменить, и они уничтожены.
web-information-summary = Согласий, известных сервису: { $consents }; записанных действий с вашими данными: { $processing }.
web-data-blocked = Ваши персональные данные в этой организации заблокированы.
web-preferences-title = Как вас уведомлять
web-channels = Каналы помимо входящих здесь
web-channel = { $channel ->
    [sms] SMS
   *[email] Электронная почта
}
web-digest = Одно сообщение в день обо всём (коды приходят сразу)
web-inbox-title = Ваши уведомления
web-inbox-none = Уведомлений пока нет.
web-delivery = { $status ->
    [queued] ждёт отправки
    [sent] отправлено
    [delivered] доставлено
    [failed] не удалось доставить
    [inbox] только здесь
    [held] отложено до ежедневного сообщения
    [digested] отправлено в ежедневном сообщении
   *[other] { $status }
}
web-console-sign-in-title = Консоль организации
web-console-intro = Сотрудники входят по паролю и затем по коду аутентификатора, всегда.
web-email = Электронная почта
web-password = Пароль
web-enroll-title = Настройте аутентификатор
web-enroll-intro = Чтобы завершить первый вход, добавьте Qorgau в приложение-аутентификатор (TOTP).
web-enroll-secret = Введите этот ключ или откройте ссылку ниже на телефоне с приложением:
web-enroll-confirm = Подтвердить
web-recovery-title = Резервные коды
web-recovery-intro = Сохраните эти коды в надёжном месте. Каждый действует один раз, если вы потеряете аутентификатор. Они показываются только сейчас.
web-queue-title = Обращения субъектов
web-queue-caption = Обращения, сначала с ближайшим сроком
web-queue-empty = По этому выбору обращений нет.
web-only-overdue = Только просроченные
web-complete-title = Ответить на обращение
web-answer-text = Ответ или что сделано
web-destroyed-instead-option = Данные нельзя было изменить, и они уничтожены
web-complete = Отправить ответ
web-refuse-title = Отказать в обращении
web-refuse-request = Отказать по этой причине
web-acting-for = Вы действуете от имени { $name } как законный представитель (основание: { $basis }; до { $until }). Ваши действия здесь записываются как совершённые вами от его (её) имени.
web-act-for-myself = Вернуться к своей учётной записи
web-acting-lapsed = Ваши полномочия действовать от имени этого лица истекли. Показана ваша собственная учётная запись.
web-represented-title = Кого я представляю
web-represented-intro = Как законный представитель вы можете действовать от имени этих лиц в пределах полномочий, записанных при даче согласия от их имени.
web-represented-none = Вы никого не представляете.
web-authority = Основание: { $basis }; до { $until }
web-act-for = Действовать от имени: { $name }
web-not-represented = У вас нет действующих полномочий действовать от имени этого лица.
web-preferences-own-only = Способ доставки уведомлений выбирает сам человек; представитель не может его изменить.
web-authority-basis = { $basis ->
    [parent] родитель
    [guardian] опекун
    [trustee] попечитель
    [power_of_attorney] доверенность
   *[other] { $basis }
}
