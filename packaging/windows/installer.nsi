; The Windows installer of taixin-kiosk (NSIS 3, Modern UI 2).
;
; Built by packaging/windows/make_installer.py, which passes the defines below
; (the Wine lane, packaging/windows/build.sh, and the Windows CI both call it):
;
;   makensis -INPUTCHARSET UTF8 -WX -DVERSION=0.1.0 -DVERSION_NUMERIC=0.1.0.0
;            -DAPP_DIR=<one-folder app> -DAPP_FILES=<app-files.nsh> -DICON=<.ico>
;            -DOUT_FILE=<...\taixin-kiosk-0.1.0-setup.exe> installer.nsi
;
; What it does (see packaging/windows/README.md for the switches IT uses):
; - per-machine install into "$PROGRAMFILES64\Taixin Kiosk" (admin rights);
; - Start-menu shortcuts (all users) for the presentation and presenter mode;
;   desktop shortcuts (component, on by default); start in kiosk mode at logon
;   (component, off by default: a shortcut in the all-users Startup folder);
; - an entry in Apps & Features (HKLM uninstall key, 64-bit view);
;   /CHANNEL=URL (with /CHANNELNAME= and /CHANNELROOT=) makes the installing
;   account's kiosk follow a signed content channel (`taixin-kiosk channel join`);
; - an upgrade removes the old program files first; user data, which the app
;   keeps in %LOCALAPPDATA%\taixin-kiosk of each user, is never touched by an
;   install, and by an uninstall only when asked (/REMOVEDATA or the box on
;   the uninstaller's page), and then only for the user running it.
;
; The file is UTF-8 (Chinese strings): makensis needs -INPUTCHARSET UTF8.

!macro REQUIRE NAME
  !ifndef ${NAME}
    !error "${NAME} is not defined: build with packaging/windows/make_installer.py"
  !endif
!macroend
!insertmacro REQUIRE VERSION
!insertmacro REQUIRE VERSION_NUMERIC
!insertmacro REQUIRE APP_DIR
!insertmacro REQUIRE APP_FILES
!insertmacro REQUIRE ICON
!insertmacro REQUIRE OUT_FILE

; The 64-bit Unicode stub where NSIS has it (Debian's makensis: the Wine lane,
; whose 64-bit-only Wine cannot run a 32-bit installer). The official Windows
; build of NSIS (Chocolatey's, on the Windows CI) ships 32-bit stubs only: a
; 32-bit installer then installs the same 64-bit app, writing the 64-bit
; registry view and $PROGRAMFILES64 (.onInit refuses 32-bit Windows).
; -DTARGET=... chooses.
!ifndef TARGET
  !if /FileExists "${NSISDIR}\Stubs\lzma_solid-amd64-unicode"
    !define TARGET amd64-unicode
  !else
    !define TARGET x86-unicode
  !endif
!endif
!echo "installer target: ${TARGET}"
Target ${TARGET}
; Solid LZMA with a 64 MB dictionary: the ~110 MB app folder is mostly Qt DLLs
; that share a lot.
SetCompressor /SOLID /FINAL lzma
SetCompressorDictSize 64

!define APP_ID "taixin-kiosk"
!define EXE "taixin-kiosk.exe"
!define PRODUCT "Taixin Kiosk"
!define /ifndef PUBLISHER "Taixin Kiosk project"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"
; Where `taixin-kiosk install-autostart` registers a user's own autostart.
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"

; Shortcut names in both languages. The uninstaller (and an upgrade) removes
; both forms, whichever language they were made in.
!define LNK_APP_EN "Taixin Kiosk"
!define LNK_PRESENTER_EN "Taixin Kiosk (presenter mode)"
!define LNK_KIOSK_EN "Taixin Kiosk (kiosk mode)"
!define LNK_APP_ZH "太忻经济区展示屏"
!define LNK_PRESENTER_ZH "太忻经济区展示屏（演讲者模式）"
!define LNK_KIOSK_ZH "太忻经济区展示屏（展台模式）"

Name "$(ProductName)"
OutFile "${OUT_FILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
; An upgrade installs where the previous version is.
InstallDirRegKey HKLM "${UNINST_KEY}" "InstallLocation"
RequestExecutionLevel admin
ManifestDPIAware true
ManifestSupportedOS Win10
BrandingText "${PRODUCT} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include Sections.nsh
!include WinVer.nsh
!include x64.nsh
!include nsDialogs.nsh
!include StrFunc.nsh
${UnStrStr}

; The top-level entries of the one-folder app (generated from APP_DIR):
; defines the macro REMOVE_APP_FILES DIR.
!include "${APP_FILES}"

Var OldDir        ; where the previous version is installed ("" when none)
Var RemoveData    ; uninstaller: 1 = also remove the user's data folder
Var UserDataDir   ; uninstaller: %LOCALAPPDATA%\taixin-kiosk of the user running it
Var UserName
Var DataCheckbox
Var ChannelUrl    ; /CHANNEL=: the channel repository's address ("" = none)
Var ChannelName   ; /CHANNELNAME=: which of its channels (default stable)
Var ChannelRoot   ; /CHANNELROOT=: its root.json (default: root.json beside setup.exe)

; -- Modern UI ----------------------------------------------------------------------

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING
; The description under the list: the list keeps its width for the long names.
!define MUI_COMPONENTSPAGE_SMALLDESC
; The language chosen at install time, kept for the uninstaller and upgrades.
!define MUI_LANGDLL_REGISTRY_ROOT HKLM
!define MUI_LANGDLL_REGISTRY_KEY "${UNINST_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
; Shown before a language is chosen, so in both.
!define MUI_LANGDLL_WINDOWTITLE "Installer Language / 安装程序语言"
!define MUI_LANGDLL_INFO "Please select a language.$\r$\n请选择语言。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
; No "run now" box: the installer runs elevated, and an app started from it
; would run as the administrator, with the administrator's settings.
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
UninstPage custom un.DataPage un.DataPageLeave
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default when Windows' own is neither.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_RESERVEFILE_LANGDLL

; -- strings ------------------------------------------------------------------------

LangString ProductName ${LANG_ENGLISH} "${LNK_APP_EN}"
LangString ProductName ${LANG_SIMPCHINESE} "${LNK_APP_ZH}"
LangString LnkApp ${LANG_ENGLISH} "${LNK_APP_EN}"
LangString LnkApp ${LANG_SIMPCHINESE} "${LNK_APP_ZH}"
LangString LnkPresenter ${LANG_ENGLISH} "${LNK_PRESENTER_EN}"
LangString LnkPresenter ${LANG_SIMPCHINESE} "${LNK_PRESENTER_ZH}"
LangString LnkKiosk ${LANG_ENGLISH} "${LNK_KIOSK_EN}"
LangString LnkKiosk ${LANG_SIMPCHINESE} "${LNK_KIOSK_ZH}"

LangString LnkAppDesc ${LANG_ENGLISH} "Full-screen bilingual presentation of Yangqu in the Taiyuan–Xinzhou Integrated Economic Zone"
LangString LnkAppDesc ${LANG_SIMPCHINESE} "阳曲县在太忻一体化经济区的中英双语全屏展示"
LangString LnkPresenterDesc ${LANG_ENGLISH} "Presenter mode: the slides on the projector, the presenter console on this screen"
LangString LnkPresenterDesc ${LANG_SIMPCHINESE} "演讲者模式：幻灯片显示在投影仪上，演讲者控制台显示在本机屏幕上"
LangString LnkKioskDesc ${LANG_ENGLISH} "Kiosk mode for an unattended screen, restarted after a crash"
LangString LnkKioskDesc ${LANG_SIMPCHINESE} "无人值守屏幕的展台模式，崩溃后自动重启"

LangString SecApp ${LANG_ENGLISH} "${LNK_APP_EN} (required)"
LangString SecApp ${LANG_SIMPCHINESE} "${LNK_APP_ZH}（必需）"
LangString SecAppDesc ${LANG_ENGLISH} "The program, Start menu shortcuts (presentation, presenter mode) and the uninstaller."
LangString SecAppDesc ${LANG_SIMPCHINESE} "程序本身、“开始”菜单快捷方式（演示和演讲者模式）和卸载程序。"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcuts"
LangString SecDesktop ${LANG_SIMPCHINESE} "桌面快捷方式"
LangString SecDesktopDesc ${LANG_ENGLISH} "Shortcuts on every user's desktop: the presentation and presenter mode."
LangString SecDesktopDesc ${LANG_SIMPCHINESE} "在所有用户的桌面上创建演示和演讲者模式的快捷方式。"
LangString SecAutostart ${LANG_ENGLISH} "Start in kiosk mode at logon"
LangString SecAutostartDesc ${LANG_ENGLISH} "For a hall PC: the locked full-screen kiosk starts at every logon and restarts after a crash."
LangString SecAutostart ${LANG_SIMPCHINESE} "登录时以展台模式启动"
LangString SecAutostartDesc ${LANG_SIMPCHINESE} "用于展厅电脑：每次登录都启动锁定的全屏展台，崩溃后自动重启。"

LangString MsgNeedsWin10 ${LANG_ENGLISH} "${LNK_APP_EN} needs 64-bit Windows 10 or newer."
LangString MsgNeedsWin10 ${LANG_SIMPCHINESE} "${LNK_APP_ZH}需要 64 位 Windows 10 或更高版本。"
LangString MsgNeedsAdmin ${LANG_ENGLISH} "Installing ${LNK_APP_EN} for all users needs administrator rights. Run the installer as an administrator."
LangString MsgNeedsAdmin ${LANG_SIMPCHINESE} "为所有用户安装${LNK_APP_ZH}需要管理员权限。请以管理员身份运行安装程序。"
LangString MsgRunning ${LANG_ENGLISH} "${LNK_APP_EN} is running. Close it now and continue?$\r$\n$\r$\nA presentation or kiosk that is showing will end."
LangString MsgRunning ${LANG_SIMPCHINESE} "${LNK_APP_ZH}正在运行。是否立即关闭它并继续？$\r$\n$\r$\n正在进行的演示或展台将会结束。"
LangString MsgStillRunning ${LANG_ENGLISH} "${LNK_APP_EN} could not be closed. Close it (and a kiosk started at logon), then choose Retry."
LangString MsgStillRunning ${LANG_SIMPCHINESE} "无法关闭${LNK_APP_ZH}。请关闭它（包括登录时自动启动的展台），然后选择“重试”。"

LangString DetChannel ${LANG_ENGLISH} "Following content channel $ChannelName at $ChannelUrl..."
LangString DetChannel ${LANG_SIMPCHINESE} "正在设置跟随 $ChannelUrl 上的内容频道 $ChannelName……"
LangString MsgChannelNoRoot ${LANG_ENGLISH} "The content channel's root file $ChannelRoot was not found. Give it with /CHANNELROOT= (the repository's root.json, from the publisher). Nothing was installed."
LangString MsgChannelNoRoot ${LANG_SIMPCHINESE} "找不到内容频道的根文件 $ChannelRoot。请用 /CHANNELROOT= 指定（发布者提供的仓库 root.json）。未安装任何内容。"
LangString MsgChannelFailed ${LANG_ENGLISH} "${LNK_APP_EN} is installed, but the content channel was not set (exit code $0). Run: taixin-kiosk channel join URL --channel NAME --root FILE"
LangString MsgChannelFailed ${LANG_SIMPCHINESE} "${LNK_APP_ZH}已安装，但未能设置内容频道（退出代码 $0）。请运行：taixin-kiosk channel join URL --channel NAME --root FILE"
LangString DetClosing ${LANG_ENGLISH} "Closing the running ${LNK_APP_EN}..."
LangString DetClosing ${LANG_SIMPCHINESE} "正在关闭运行中的${LNK_APP_ZH}……"
LangString DetRemovingOld ${LANG_ENGLISH} "Removing the previous version's program files from $R9 (settings and content packs stay)..."
LangString DetRemovingOld ${LANG_SIMPCHINESE} "正在删除 $R9 中旧版本的程序文件（设置和内容包会保留）……"
LangString DetRemovingData ${LANG_ENGLISH} "Removing settings, logs, statistics and content packs: $UserDataDir"
LangString DetRemovingData ${LANG_SIMPCHINESE} "正在删除设置、日志、统计数据和内容包：$UserDataDir"
LangString DetKeepingData ${LANG_ENGLISH} "Keeping settings, logs, statistics and content packs: $UserDataDir"
LangString DetKeepingData ${LANG_SIMPCHINESE} "保留设置、日志、统计数据和内容包：$UserDataDir"

LangString UnDataTitle ${LANG_ENGLISH} "Your settings and content"
LangString UnDataTitle ${LANG_SIMPCHINESE} "您的设置和内容"
LangString UnDataSubtitle ${LANG_ENGLISH} "Choose whether to keep them."
LangString UnDataSubtitle ${LANG_SIMPCHINESE} "选择是否保留它们。"
LangString UnDataText ${LANG_ENGLISH} "${LNK_APP_EN} keeps its settings, the staff PIN, logs, visitor statistics and installed content packs in your own folder:$\r$\n$\r$\n$UserDataDir$\r$\n$\r$\nThey stay unless you tick the box below, so that a reinstall or an upgrade finds them again. The box covers only the Windows account running this uninstaller ($UserName): other accounts' folders are left as they are."
LangString UnDataText ${LANG_SIMPCHINESE} "${LNK_APP_ZH}将设置、工作人员 PIN、日志、访客统计数据和已安装的内容包保存在您自己的文件夹中：$\r$\n$\r$\n$UserDataDir$\r$\n$\r$\n除非勾选下面的选项，否则这些数据会保留下来，重新安装或升级后仍可使用。此选项只针对运行本卸载程序的 Windows 账户（$UserName）；其他账户的文件夹不受影响。"
LangString UnDataCheckbox ${LANG_ENGLISH} "Also remove my settings, logs and content packs"
LangString UnDataCheckbox ${LANG_SIMPCHINESE} "同时删除我的设置、日志和内容包"

; -- version resource of setup.exe --------------------------------------------------

VIProductVersion "${VERSION_NUMERIC}"
VIFileVersion "${VERSION_NUMERIC}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "FileDescription" "${PRODUCT} ${VERSION} Setup"
VIAddVersionKey /LANG=${LANG_ENGLISH} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_ENGLISH} "LegalCopyright" "MIT License, ${PUBLISHER}"

; -- shared by installer and uninstaller --------------------------------------------

!macro DELETE_LINKS APP PRESENTER KIOSK
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$SMPROGRAMS\${PRESENTER}.lnk"
  Delete "$DESKTOP\${APP}.lnk"
  Delete "$DESKTOP\${PRESENTER}.lnk"
  Delete "$SMSTARTUP\${KIOSK}.lnk"
!macroend

; Every shortcut this installer makes, in either language (shell context: all).
!macro DELETE_SHORTCUTS
  !insertmacro DELETE_LINKS "${LNK_APP_EN}" "${LNK_PRESENTER_EN}" "${LNK_KIOSK_EN}"
  !insertmacro DELETE_LINKS "${LNK_APP_ZH}" "${LNK_PRESENTER_ZH}" "${LNK_KIOSK_ZH}"
!macroend

; AppInUse: $R8 = 1 when $R9\taixin-kiosk.exe is running (Windows keeps a
; running executable's file from being opened for writing).
; CloseApp: closes every running taixin-kiosk.exe (the supervisor and its
; child have the same name; twice, in case the supervisor restarted the child
; in between), after asking unless silent; aborts when it stays open.
!macro APP_FUNCTIONS UN
Function ${UN}AppInUse
  StrCpy $R8 0
  ${If} ${FileExists} "$R9\${EXE}"
    ClearErrors
    FileOpen $R7 "$R9\${EXE}" a
    ${If} ${Errors}
      StrCpy $R8 1
    ${Else}
      FileClose $R7
    ${EndIf}
  ${EndIf}
FunctionEnd

Function ${UN}CloseApp
  Call ${UN}AppInUse
  ${If} $R8 == 0
    Return
  ${EndIf}
  MessageBox MB_OKCANCEL|MB_ICONEXCLAMATION "$(MsgRunning)" /SD IDOK IDOK close
  Abort
  close:
  DetailPrint "$(DetClosing)"
  StrCpy $R6 0
  kill:
  nsExec::Exec '"$SYSDIR\taskkill.exe" /F /IM ${EXE}'
  Pop $R7
  Sleep 1500
  Call ${UN}AppInUse
  IntOp $R6 $R6 + 1
  ${If} $R8 == 1
  ${AndIf} $R6 < 3
    Goto kill
  ${EndIf}
  ${If} $R8 == 1
    MessageBox MB_RETRYCANCEL|MB_ICONSTOP "$(MsgStillRunning)" /SD IDCANCEL IDRETRY close
    Abort
  ${EndIf}
FunctionEnd
!macroend
!insertmacro APP_FUNCTIONS ""
!insertmacro APP_FUNCTIONS "un."

; -- installer ----------------------------------------------------------------------

Section "!$(SecApp)" SecApp
  SectionIn RO

  ; The previous version: closed, and its program files removed first, so that
  ; nothing of it stays next to the new one. User data is not here.
  ReadRegStr $OldDir HKLM "${UNINST_KEY}" "InstallLocation"
  StrCpy $R9 "$INSTDIR"
  Call CloseApp
  ${If} ${FileExists} "$INSTDIR\${EXE}"
    DetailPrint "$(DetRemovingOld)"
  ${EndIf}
  !insertmacro REMOVE_APP_FILES "$INSTDIR"
  Delete "$INSTDIR\uninstall.exe"
  ; Installed elsewhere before (a new folder was chosen): that copy goes.
  ${If} $OldDir != ""
  ${AndIf} $OldDir != "$INSTDIR"
  ${AndIf} ${FileExists} "$OldDir\${EXE}"
    StrCpy $R9 "$OldDir"
    Call CloseApp
    DetailPrint "$(DetRemovingOld)"
    !insertmacro REMOVE_APP_FILES "$OldDir"
    Delete "$OldDir\uninstall.exe"
    RMDir "$OldDir"
  ${EndIf}
  !insertmacro DELETE_SHORTCUTS

  SetOutPath "$INSTDIR"
  File /r "${APP_DIR}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\$(LnkApp).lnk" "$INSTDIR\${EXE}" "" \
      "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "$(LnkAppDesc)"
  CreateShortCut "$SMPROGRAMS\$(LnkPresenter).lnk" "$INSTDIR\${EXE}" "--present" \
      "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "$(LnkPresenterDesc)"

  ; Apps & Features (64-bit registry view: SetRegView 64 in .onInit).
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayName" "$(ProductName)"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKLM "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegStr HKLM "${UNINST_KEY}" "InstallerLanguage" "$LANGUAGE"
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "$(SecDesktop)" SecDesktop
  SetOutPath "$INSTDIR"
  CreateShortCut "$DESKTOP\$(LnkApp).lnk" "$INSTDIR\${EXE}" "" \
      "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "$(LnkAppDesc)"
  CreateShortCut "$DESKTOP\$(LnkPresenter).lnk" "$INSTDIR\${EXE}" "--present" \
      "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "$(LnkPresenterDesc)"
SectionEnd

; A shortcut in the all-users Startup folder (C:\ProgramData\Microsoft\Windows\
; Start Menu\Programs\StartUp): it starts the kiosk for whoever logs on, shows
; under its own name and icon in Task Manager's Startup apps, and IT can see,
; copy or delete it as a file. The app's own `install-autostart` writes the
; HKCU Run value of the user running it, which for an elevated installer would
; be the administrator's, not the hall PC's kiosk account.
Section /o "$(SecAutostart)" SecAutostart
  SetOutPath "$INSTDIR"
  CreateShortCut "$SMSTARTUP\$(LnkKiosk).lnk" "$INSTDIR\${EXE}" "--kiosk --supervise" \
      "$INSTDIR\${EXE}" 0 SW_SHOWNORMAL "" "$(LnkKioskDesc)"
SectionEnd

; /CHANNEL=: the app's own `channel join` checks the root (signed by its own
; root key), puts it beside config.toml as channel-root.json and sets
; channel_url and channel there, keeping the rest of the file: the installer
; writes no TOML itself. It runs as the account running the installer, so it
; sets that account's config (%LOCALAPPDATA%\taixin-kiosk), like set-pin.
Section "-Channel" SecChannel
  ${If} $ChannelUrl != ""
    DetailPrint "$(DetChannel)"
    nsExec::ExecToLog '"$INSTDIR\${EXE}" channel join "$ChannelUrl" --channel "$ChannelName" --root "$ChannelRoot"'
    Pop $0
    ${If} $0 != 0
      MessageBox MB_OK|MB_ICONEXCLAMATION "$(MsgChannelFailed)" /SD IDOK
      SetErrorLevel 3
    ${EndIf}
  ${EndIf}
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "$(SecAppDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "$(SecDesktopDesc)"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAutostart} "$(SecAutostartDesc)"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; Switches (any order, before /D=): /AUTOSTART, /NOAUTOSTART, /NODESKTOP,
; /CHANNEL=URL [/CHANNELNAME=NAME] [/CHANNELROOT=FILE].
Function .onInit
  SetShellVarContext all
  SetRegView 64
  !insertmacro MUI_LANGDLL_DISPLAY

  ${IfNot} ${AtLeastWin10}
  ${OrIfNot} ${RunningX64}
    MessageBox MB_OK|MB_ICONSTOP "$(MsgNeedsWin10)" /SD IDOK
    SetErrorLevel 1
    Quit
  ${EndIf}
  UserInfo::GetAccountType
  Pop $0
  ${If} $0 != "admin"
    MessageBox MB_OK|MB_ICONSTOP "$(MsgNeedsAdmin)" /SD IDOK
    SetErrorLevel 740  ; ERROR_ELEVATION_REQUIRED
    Quit
  ${EndIf}

  ; An upgrade keeps the previous choices: kiosk at logon if its shortcut is
  ; there, no desktop shortcuts if there were none.
  ${If} ${FileExists} "$SMSTARTUP\${LNK_KIOSK_EN}.lnk"
  ${OrIf} ${FileExists} "$SMSTARTUP\${LNK_KIOSK_ZH}.lnk"
    !insertmacro SelectSection ${SecAutostart}
  ${EndIf}
  ReadRegStr $0 HKLM "${UNINST_KEY}" "InstallLocation"
  ${If} $0 != ""
  ${AndIfNot} ${FileExists} "$DESKTOP\${LNK_APP_EN}.lnk"
  ${AndIfNot} ${FileExists} "$DESKTOP\${LNK_APP_ZH}.lnk"
    !insertmacro UnselectSection ${SecDesktop}
  ${EndIf}

  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/AUTOSTART" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SecAutostart}
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/NOAUTOSTART" $R1
  ${IfNot} ${Errors}
    !insertmacro UnselectSection ${SecAutostart}
  ${EndIf}
  ClearErrors
  ${GetOptions} $R0 "/NODESKTOP" $R1
  ${IfNot} ${Errors}
    !insertmacro UnselectSection ${SecDesktop}
  ${EndIf}

  StrCpy $ChannelUrl ""
  ClearErrors
  ${GetOptions} $R0 "/CHANNEL=" $R1
  ${IfNot} ${Errors}
    StrCpy $ChannelUrl $R1
  ${EndIf}
  StrCpy $ChannelName "stable"
  ClearErrors
  ${GetOptions} $R0 "/CHANNELNAME=" $R1
  ${IfNot} ${Errors}
  ${AndIf} $R1 != ""
    StrCpy $ChannelName $R1
  ${EndIf}
  StrCpy $ChannelRoot "$EXEDIR\root.json"
  ClearErrors
  ${GetOptions} $R0 "/CHANNELROOT=" $R1
  ${IfNot} ${Errors}
  ${AndIf} $R1 != ""
    GetFullPathName $ChannelRoot $R1
  ${EndIf}
  ; A missing root is found before anything is installed (the app checks the rest).
  ${If} $ChannelUrl != ""
  ${AndIfNot} ${FileExists} $ChannelRoot
    MessageBox MB_OK|MB_ICONSTOP "$(MsgChannelNoRoot)" /SD IDOK
    SetErrorLevel 3
    Quit
  ${EndIf}
FunctionEnd

; -- uninstaller --------------------------------------------------------------------

; Switches: /S (silent), /REMOVEDATA (also remove the data folder of the user
; running the uninstaller).
Function un.onInit
  SetShellVarContext all
  SetRegView 64
  !insertmacro MUI_UNGETLANGUAGE

  StrCpy $RemoveData 0
  ${un.GetParameters} $R0
  ClearErrors
  ${un.GetOptions} $R0 "/REMOVEDATA" $R1
  ${IfNot} ${Errors}
    StrCpy $RemoveData 1
  ${EndIf}
  ; The app's folders (platformdirs, appauthor=False): configuration, data,
  ; content packs, statistics and state in %LOCALAPPDATA%\taixin-kiosk, logs
  ; in its Logs subfolder.
  SetShellVarContext current
  StrCpy $UserDataDir "$LOCALAPPDATA\${APP_ID}"
  SetShellVarContext all
  ReadEnvStr $UserName USERNAME
FunctionEnd

Function un.DataPage
  !insertmacro MUI_HEADER_TEXT "$(UnDataTitle)" "$(UnDataSubtitle)"
  nsDialogs::Create 1018
  Pop $0
  ${If} $0 == error
    Abort
  ${EndIf}
  ${NSD_CreateLabel} 0 0 100% 96u "$(UnDataText)"
  Pop $0
  ${NSD_CreateCheckbox} 0 104u 100% 12u "$(UnDataCheckbox)"
  Pop $DataCheckbox
  ${If} $RemoveData == 1
    ${NSD_Check} $DataCheckbox
  ${EndIf}
  nsDialogs::Show
FunctionEnd

Function un.DataPageLeave
  ${NSD_GetState} $DataCheckbox $0
  ${If} $0 == ${BST_CHECKED}
    StrCpy $RemoveData 1
  ${Else}
    StrCpy $RemoveData 0
  ${EndIf}
FunctionEnd

Section "Uninstall"
  StrCpy $R9 "$INSTDIR"
  Call un.CloseApp

  !insertmacro DELETE_SHORTCUTS
  ; This user's own start-at-logon entry (`taixin-kiosk install-autostart`),
  ; when it starts this copy: it would point at nothing once the files go.
  ReadRegStr $0 HKCU "${RUN_KEY}" "${APP_ID}"
  ${If} $0 != ""
    ${UnStrStr} $1 $0 "$INSTDIR\${EXE}"
    ${If} $1 != ""
      DeleteRegValue HKCU "${RUN_KEY}" "${APP_ID}"
    ${EndIf}
  ${EndIf}

  !insertmacro REMOVE_APP_FILES "$INSTDIR"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINST_KEY}"

  ${If} $RemoveData == 1
  ${AndIf} $UserDataDir != "\${APP_ID}"
    DetailPrint "$(DetRemovingData)"
    RMDir /r "$UserDataDir"
  ${Else}
    DetailPrint "$(DetKeepingData)"
  ${EndIf}
SectionEnd
