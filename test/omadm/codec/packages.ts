/** SyncML DM packages as clients and servers write them (shapes from omadm.md §1.2-1.5 and its [wire] notes). */

/** Package 1 of a DM 1.2 client (libdmclient style: single-quoted xmlns, metinf xmlns on each element, DevInfo in reverse order). */
export const PACKAGE_1_DM12 = `<?xml version="1.0" encoding="UTF-8"?>
<SyncML xmlns='SYNCML:SYNCML1.2'>
  <SyncHdr>
    <VerDTD>1.2</VerDTD>
    <VerProto>DM/1.2</VerProto>
    <SessionID>1</SessionID>
    <MsgID>1</MsgID>
    <Target><LocURI>http://127.0.0.1:8090/dm</LocURI></Target>
    <Source><LocURI>IMEI:493005100592800</LocURI><LocName>dmuser</LocName></Source>
    <Cred>
      <Meta><Format xmlns='syncml:metinf'>b64</Format><Type xmlns='syncml:metinf'>syncml:auth-md5</Type></Meta>
      <Data>Wp5a3MAYJ1hYOJ3HPNV6Ow==</Data>
    </Cred>
    <Meta><MaxMsgSize xmlns='syncml:metinf'>16384</MaxMsgSize></Meta>
  </SyncHdr>
  <SyncBody>
    <Alert><CmdID>1</CmdID><Data>1201</Data></Alert>
    <Replace>
      <CmdID>2</CmdID>
      <Item><Source><LocURI>./DevInfo/Ext</LocURI></Source><Meta><Format xmlns='syncml:metinf'>node</Format></Meta><Data>Conf</Data></Item>
      <Item><Source><LocURI>./DevInfo/Lang</LocURI></Source><Meta><Format xmlns='syncml:metinf'>chr</Format><Type xmlns='syncml:metinf'>text/plain</Type></Meta><Data>en-US</Data></Item>
      <Item><Source><LocURI>./DevInfo/DmV</LocURI></Source><Data>1.2</Data></Item>
      <Item><Source><LocURI>./DevInfo/Man</LocURI></Source><Data>Acme &amp; Sons</Data></Item>
      <Item><Source><LocURI>./DevInfo/DevId</LocURI></Source><Data>IMEI:493005100592800</Data></Item>
      <Item><Source><LocURI>./DevInfo/Mod</LocURI></Source><Data>Tracker 3</Data></Item>
    </Replace>
    <Final/>
  </SyncBody>
</SyncML>`;

/** Package 2 of the server for DM 1.3: header Status, Statuses, then Get/Replace/Exec/Atomic/Sequence interleaved. */
export const PACKAGE_2_DM13 = `<?xml version="1.0" encoding="UTF-8"?>
<SyncML xmlns="SYNCML:SYNCML1.2">
  <SyncHdr>
    <VerDTD>1.2</VerDTD><VerProto>DM/1.3</VerProto><SessionID>4F2</SessionID><MsgID>1</MsgID>
    <Target><LocURI>IMEI:493005100592800</LocURI></Target>
    <Source><LocURI>http://127.0.0.1:8090/dm</LocURI><LocName>proxy</LocName></Source>
    <RespURI>http://127.0.0.1:8090/dm?s=abc123</RespURI>
    <Cred><Meta><Format xmlns="syncml:metinf">b64</Format><Type xmlns="syncml:metinf">syncml:auth-basic</Type></Meta><Data>cHJveHk6c2VjcmV0</Data></Cred>
    <Meta><MaxMsgSize xmlns="syncml:metinf">65536</MaxMsgSize><MaxObjSize xmlns="syncml:metinf">524288</MaxObjSize></Meta>
  </SyncHdr>
  <SyncBody>
    <Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>
      <TargetRef>http://127.0.0.1:8090/dm</TargetRef><SourceRef>IMEI:493005100592800</SourceRef>
      <Chal><Meta><Type xmlns="syncml:metinf">syncml:auth-md5</Type><Format xmlns="syncml:metinf">b64</Format><NextNonce xmlns="syncml:metinf">AAECAwQFBgcICQoLDA0ODw==</NextNonce></Meta></Chal>
      <Data>212</Data></Status>
    <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>1</CmdRef><Cmd>Alert</Cmd><Data>200</Data></Status>
    <Status><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>2</CmdRef><Cmd>Replace</Cmd><Data>200</Data></Status>
    <Get><CmdID>4</CmdID><Item><Target><LocURI>./DevDetail/FwV</LocURI></Target></Item></Get>
    <Replace><CmdID>5</CmdID>
      <Item><Target><LocURI>./FUMO/DownloadAndUpdate/PkgURL</LocURI></Target><Meta><Format xmlns="syncml:metinf">chr</Format><Type xmlns="syncml:metinf">text/plain</Type></Meta><Data>http://fw.example/pkg?a=1&amp;b=2</Data></Item>
    </Replace>
    <Exec><CmdID>6</CmdID><Correlator>op-7</Correlator><Item><Target><LocURI>./FUMO/DownloadAndUpdate</LocURI></Target></Item></Exec>
    <Atomic><CmdID>7</CmdID>
      <Add><CmdID>8</CmdID><Item><Target><LocURI>./Vendor/Reboot</LocURI></Target><Meta><Format xmlns="syncml:metinf">node</Format></Meta></Item></Add>
      <Sequence><CmdID>9</CmdID>
        <Replace><CmdID>10</CmdID><Item><Target><LocURI>./Vendor/Reboot/Delay</LocURI></Target><Meta><Format xmlns="syncml:metinf">int</Format></Meta><Data>5</Data></Item></Replace>
        <Delete><CmdID>11</CmdID><Item><Target><LocURI>./Vendor/Old</LocURI></Target></Item></Delete>
      </Sequence>
      <Add><CmdID>12</CmdID><Item><Target><LocURI>./Vendor/Reboot/Mode</LocURI></Target><Data>soft</Data></Item></Add>
    </Atomic>
    <Sequence><CmdID>13</CmdID>
      <Add><CmdID>14</CmdID><Item><Target><LocURI>./Vendor/A</LocURI></Target><Data>1</Data></Item></Add>
      <Replace><CmdID>15</CmdID><Item><Target><LocURI>./Vendor/B</LocURI></Target><Data>2</Data></Item></Replace>
      <Add><CmdID>16</CmdID><Item><Target><LocURI>./Vendor/C</LocURI></Target><Data>3</Data></Item></Add>
    </Sequence>
    <Copy><CmdID>17</CmdID><Item><Target><LocURI>./Vendor/D</LocURI></Target><Source><LocURI>./Vendor/A</LocURI></Source></Item></Copy>
    <Final/>
  </SyncBody>
</SyncML>`;

/** Package 3 of a DM 1.2 client: header Status without CmdRef (hostap), Data before TargetRef, Results with node Format. */
export const PACKAGE_3_DM12 = `<?xml version="1.0" encoding="UTF-8"?>
<SyncML xmlns="SYNCML:SYNCML1.2">
  <SyncHdr>
    <VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>2</MsgID>
    <Target><LocURI>http://127.0.0.1:8090/dm?s=abc123</LocURI></Target>
    <Source><LocURI>IMEI:493005100592800</LocURI></Source>
  </SyncHdr>
  <SyncBody>
    <Status><CmdID>1</CmdID><MsgRef>1</MsgRef><Cmd>SyncHdr</Cmd><Data>200</Data>
      <TargetRef>IMEI:493005100592800</TargetRef><SourceRef>http://127.0.0.1:8090/dm</SourceRef></Status>
    <Status><CmdID>2</CmdID><MsgRef>1</MsgRef><CmdRef>4</CmdRef><Cmd>Get</Cmd><TargetRef>./DevDetail</TargetRef><Data>200</Data></Status>
    <Results><CmdID>3</CmdID><MsgRef>1</MsgRef><CmdRef>4</CmdRef>
      <Item><Source><LocURI>./DevDetail</LocURI></Source><Meta><Format xmlns="syncml:metinf">Node</Format></Meta><Data>URI/DevTyp/OEM/FwV/SwV/HwV/LrgObj</Data></Item>
    </Results>
    <Status><CmdID>4</CmdID><MsgRef>1</MsgRef><CmdRef>5</CmdRef><Cmd>Exec</Cmd><TargetRef>./FUMO/DownloadAndUpdate</TargetRef><Data>202</Data></Status>
    <Alert><CmdID>5</CmdID><Data>1226</Data><Correlator>op-7</Correlator>
      <Item><Source><LocURI>./FUMO</LocURI></Source><Meta><Type xmlns="syncml:metinf">org.openmobilealliance.dm.firmwareupdate.downloadandupdate</Type><Format xmlns="syncml:metinf">int</Format><Mark xmlns="syncml:metinf">critical</Mark></Meta><Data>200</Data></Item>
    </Alert>
    <Final/>
  </SyncBody>
</SyncML>`;
